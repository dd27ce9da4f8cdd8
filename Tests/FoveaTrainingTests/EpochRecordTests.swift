import Fovea
import FoveaData
import FoveaTraining
import Testing

@Suite("metrics rows")
struct EpochRecordTests {
    @Test("a row writes the documented columns, empty where not measured, and reads back")
    func roundTrip() {
        let row = EpochRecord(epoch: 3, step: 1173, learningRate: 0.05, trainLoss: 0.61234567, trainAccuracy: 0.7812,
                              testLoss: 0.7, testAccuracy: 0.755, imagesPerSecond: 412.34, wallSeconds: 360.04)
        #expect(EpochRecord.csvHeader == "epoch,step,lr,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,images_per_s,wall_s,val_top5,test_top5,test_acc_tta")
        #expect(row.csvLine == "3,1173,0.05,0.612346,0.7812,,,0.7,0.755,412.3,360.0,,,")
        var last = row
        last.testAccuracyTTA = 0.9401
        #expect(EpochRecord(csvLine: Substring(last.csvLine))?.testAccuracyTTA == 0.9401)
        let old = EpochRecord(csvLine: "3,1173,0.05,0.6,0.78,,,0.7,0.755,412.3,360.0")   // a row written before the top-5 columns
        #expect(old?.testTop5 == nil && old?.testAccuracy == 0.755)
        let back = EpochRecord(csvLine: Substring(row.csvLine))
        #expect(back?.epoch == 3 && back?.validationAccuracy == nil && back?.testAccuracy == 0.755)
        #expect(EpochRecord(csvLine: Substring(EpochRecord.csvHeader)) == nil)
    }
}

@Suite("evaluation")
struct EvaluationTests {
    final class Fixed: Module {
        var isTraining = true
        let logits: Tensor
        init(_ logits: Tensor) { self.logits = logits }
        func callAsFunction(_ x: Tensor) -> Tensor { logits }
    }

    @Test("top-1 and top-5 accuracy, confusion counts and per-class precision/recall on fixed logits")
    func counts() {
        // 3 images, 7 classes. Image 0 (label 2): rank 1. Image 1 (label 6): rank 5. Image 2 (label 0): rank 7.
        let logits = Tensor(shape: [3, 7], [0, 1, 9, 2, 3, 4, 5,
                                            9, 8, 7, 6, 1, 0, 5,
                                            0, 1, 2, 3, 4, 5, 6])
        let data = ImageDataset(images: Tensor(zeros: [3, 1, 1, 1]), labels: [2, 6, 0], classNames: (0..<7).map { "c\($0)" })
        let result = Evaluation.run(Fixed(logits), on: data, transform: ImageTransform(mean: [0], std: [1]), batchSize: 3)
        #expect(abs(result.accuracy - 1.0 / 3) < 1e-12)
        #expect(abs(result.top5Accuracy - 2.0 / 3) < 1e-12)
        #expect(result.confusion[2][2] == 1 && result.confusion[6][0] == 1 && result.confusion[0][6] == 1)
        #expect(result.perClass[2].precision == 1 && result.perClass[0].recall == 0)
    }
}
