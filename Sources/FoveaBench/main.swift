import Fovea
print(CPUBackend.shared.name)
