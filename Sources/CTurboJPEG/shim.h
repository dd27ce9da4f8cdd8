// libjpeg-turbo's TurboJPEG API (Debian: libturbojpeg0-dev), for decoding ImageNet's JPEGs.
#include <turbojpeg.h>
