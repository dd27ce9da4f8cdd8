import FoveaTraining
import Testing

@Suite("metrics rows")
struct EpochRecordTests {
    @Test("a row writes the documented columns, empty where not measured, and reads back")
    func roundTrip() {
        let row = EpochRecord(epoch: 3, step: 1173, learningRate: 0.05, trainLoss: 0.61234567, trainAccuracy: 0.7812,
                              testLoss: 0.7, testAccuracy: 0.755, imagesPerSecond: 412.34, wallSeconds: 360.04)
        #expect(EpochRecord.csvHeader == "epoch,step,lr,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,images_per_s,wall_s")
        #expect(row.csvLine == "3,1173,0.05,0.612346,0.7812,,,0.7,0.755,412.3,360.0")
        let back = EpochRecord(csvLine: Substring(row.csvLine))
        #expect(back?.epoch == 3 && back?.validationAccuracy == nil && back?.testAccuracy == 0.755)
        #expect(EpochRecord(csvLine: Substring(EpochRecord.csvHeader)) == nil)
    }
}
