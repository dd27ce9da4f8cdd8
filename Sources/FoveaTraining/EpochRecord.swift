import Foundation

/// One row of `metrics.csv`: what one epoch measured. Accuracies are fractions; a value that was
/// not measured (no validation split, say) is `nil` and an empty cell.
public struct EpochRecord: Equatable, Sendable {
    /// 1-based: the row for the first epoch has `epoch` 1.
    public var epoch: Int
    /// Optimizer steps taken so far, over the whole run.
    public var step: Int
    /// The learning rate of the epoch's last step.
    public var learningRate: Double
    public var trainLoss: Double, trainAccuracy: Double
    public var validationLoss: Double?, validationAccuracy: Double?
    public var testLoss: Double?, testAccuracy: Double?
    /// Training images per second over the epoch (forward, backward and update; evaluation not counted).
    public var imagesPerSecond: Double
    /// Compute seconds since the run began, summed over resumed segments.
    public var wallSeconds: Double
    /// Top-5 accuracy on the validation split and the test set (`nil`: not measured).
    public var validationTop5: Double?, testTop5: Double?
    /// Test accuracy with the run's test-time augmentation (measured after the last epoch only).
    public var testAccuracyTTA: Double?

    public init(epoch: Int, step: Int, learningRate: Double, trainLoss: Double, trainAccuracy: Double,
                validationLoss: Double? = nil, validationAccuracy: Double? = nil, testLoss: Double? = nil,
                testAccuracy: Double? = nil, imagesPerSecond: Double, wallSeconds: Double,
                validationTop5: Double? = nil, testTop5: Double? = nil, testAccuracyTTA: Double? = nil) {
        (self.epoch, self.step, self.learningRate, self.trainLoss, self.trainAccuracy) = (epoch, step, learningRate, trainLoss, trainAccuracy)
        (self.validationLoss, self.validationAccuracy, self.testLoss, self.testAccuracy) = (validationLoss, validationAccuracy, testLoss, testAccuracy)
        (self.imagesPerSecond, self.wallSeconds) = (imagesPerSecond, wallSeconds)
        (self.validationTop5, self.testTop5, self.testAccuracyTTA) = (validationTop5, testTop5, testAccuracyTTA)
    }

    public static let csvHeader = "epoch,step,lr,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,images_per_s,wall_s,val_top5,test_top5,test_acc_tta"

    public var csvLine: String {
        func cell(_ value: Double?, _ digits: Int = 6) -> String {
            guard let value else { return "" }
            return String(format: "%.\(digits)g", value)
        }
        return [String(epoch), String(step), cell(learningRate), cell(trainLoss), cell(trainAccuracy), cell(validationLoss),
                cell(validationAccuracy), cell(testLoss), cell(testAccuracy), String(format: "%.1f", imagesPerSecond),
                String(format: "%.1f", wallSeconds), cell(validationTop5), cell(testTop5), cell(testAccuracyTTA)].joined(separator: ",")
    }

    /// Parses a line written by ``csvLine``; `nil` for a line that is not one.
    public init?(csvLine line: Substring) {
        let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard cells.count >= 11, let epoch = Int(cells[0]), let step = Int(cells[1]), let rate = Double(cells[2]),
              let trainLoss = Double(cells[3]), let trainAccuracy = Double(cells[4]),
              let speed = Double(cells[9]), let wall = Double(cells[10]) else { return nil }
        self.init(epoch: epoch, step: step, learningRate: rate, trainLoss: trainLoss, trainAccuracy: trainAccuracy,
                  validationLoss: Double(cells[5]), validationAccuracy: Double(cells[6]), testLoss: Double(cells[7]),
                  testAccuracy: Double(cells[8]), imagesPerSecond: speed, wallSeconds: wall,
                  validationTop5: cells.count > 11 ? Double(cells[11]) : nil, testTop5: cells.count > 12 ? Double(cells[12]) : nil,
                  testAccuracyTTA: cells.count > 13 ? Double(cells[13]) : nil)
    }
}
