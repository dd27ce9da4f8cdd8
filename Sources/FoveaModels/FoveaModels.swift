import Fovea
