// Cairo's C API for FoveaPlot: image surfaces, paths, the toy text API and PNG input/output.
#include <cairo.h>
