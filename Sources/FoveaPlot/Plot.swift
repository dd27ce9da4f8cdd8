/// One-line figures, each written to a PNG file.
///
/// | call | shows |
/// | --- | --- |
/// | `Plot.image` | one image, through a colormap, with a colour bar |
/// | `Plot.featureMaps` | the channels of one layer's output, one tile each |
/// | `Plot.filters` | convolution weights: RGB patches, or one tile per input channel |
/// | `Plot.samples` | a batch of images with labels, wrong predictions framed in red |
/// | `Plot.lineChart` | training curves, optionally on a log scale |
/// | `Plot.barChart` | one value per class, such as predicted probabilities |
/// | `Plot.confusionMatrix` | counts of (true class, predicted class) as a heat map |
/// | `Plot.histogram` | the distribution of values |
/// | `Plot.contour` | a function of two variables as filled contours, with optimiser paths |
///
/// Every call returns its layout (where the data landed) and throws `PlotError` for empty inputs,
/// shapes it cannot read, and paths it cannot write. Missing folders are created. NaN and ±∞ are
/// never dropped silently: they are drawn in magenta, or marked, and counted in the header.
public enum Plot {}
