// libzip (Debian: libzip-dev), for reading NumPy's .npz archives (the downsampled ImageNet files).
#include <zip.h>
