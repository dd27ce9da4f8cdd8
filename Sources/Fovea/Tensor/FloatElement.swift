import RealModule

extension Float: FloatElement {
    public static var dtype: DType { .float32 }
}

extension Double: FloatElement {
    public static var dtype: DType { .float64 }
}
