// swift-tools-version:6.0
// Fovea: a literate deep-learning toolkit in Swift. The targets below read as the architecture:
// C shims → engine → models → executables → tests (dependencies point one way).
import PackageDescription

/// The numbered lessons: folder under Lessons/, product `lessonNN`, run with `make lesson-NN`.
let lessons = ["01-Convolution", "02-Pooling", "03-Backpropagation", "04-CrossEntropy", "05-GradientDescent",
               "06-GoingDeep", "07-LeNetCIFAR", "08-ResNetCIFAR", "09-ImageNet", "10-WhereTheTimeGoes"]

let package = Package(
    name: "Fovea",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Fovea", targets: ["Fovea"]),
        .library(name: "FoveaModels", targets: ["FoveaModels"]),
        .library(name: "FoveaPlot", targets: ["FoveaPlot"]),
        .library(name: "FoveaData", targets: ["FoveaData"]),
        .library(name: "FoveaNotebook", targets: ["FoveaNotebook"]),
        .library(name: "FoveaTraining", targets: ["FoveaTraining"]),
        .executable(name: "fovea", targets: ["FoveaCLI"]),
        .executable(name: "fovea-bench", targets: ["FoveaBench"]),
    ] + lessons.map { .executable(name: "lesson" + $0.prefix(2), targets: ["lesson" + $0.prefix(2)]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // MARK: - C shims
        // OpenBLAS is opened at run time (dlopen) so that the CPU backend can pick a fast kernel
        // on CPUs that Debian's OpenBLAS does not recognise; see Sources/CBLAS/fovea_blas.c.
        .target(name: "CBLAS", linkerSettings: [.linkedLibrary("dl")]),
        // Hand-written AVX-512 kernels (direct 3×3 convolution, 2×2 max-pool) that need masked loads
        // and shuffles Swift cannot reach; used only where the CPU has AVX-512 (see
        // Sources/Fovea/Backend/CPU/AVX512Kernels.swift).
        .target(name: "CKernels"),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),

        // MARK: - Engine
        .target(
            name: "Fovea",
            dependencies: ["CBLAS", "CKernels", .product(name: "RealModule", package: "swift-numerics")],
            exclude: ["Backend/README.md"]
        ),
        .target(name: "FoveaModels", dependencies: ["Fovea"]),
        .target(name: "FoveaData", dependencies: ["Fovea", "CTurboJPEG", "CZip"], resources: [.copy("Resources/imagenet-synsets.txt")]),

        // The trainer, meters, progress display and run checkpoints behind `fovea train` and the lessons.
        .target(name: "FoveaTraining", dependencies: ["Fovea", "FoveaData", "FoveaModels", "FoveaPlot"]),

        // MARK: - Pictures
        .target(name: "FoveaPlot", dependencies: ["CCairo", "Fovea"]),
        // The notebook runner that lessons use: prose, code, output and figures to the terminal and a page.
        .target(name: "FoveaNotebook", dependencies: ["Fovea"]),

        // MARK: - Executables
        .executableTarget(
            name: "FoveaCLI",
            dependencies: ["Fovea", "FoveaModels", "FoveaPlot", "FoveaData", "FoveaTraining",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "FoveaBench",
            dependencies: ["Fovea", "FoveaModels", "FoveaData", "FoveaTraining",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: - Tests
        .target(name: "FoveaTestSupport", dependencies: ["Fovea"]),
        .testTarget(
            name: "FoveaTests",
            dependencies: ["Fovea", "FoveaModels", "FoveaTestSupport", "CBLAS"]
        ),
        .testTarget(name: "FoveaPlotTests", dependencies: ["FoveaPlot", "CCairo", "Fovea", "FoveaTestSupport"]),
        .testTarget(name: "FoveaNotebookTests", dependencies: ["FoveaNotebook", "Fovea", "FoveaTestSupport"]),
        .testTarget(name: "FoveaDataTests", dependencies: ["FoveaData", "Fovea", "FoveaTestSupport"]),
        .testTarget(name: "FoveaTrainingTests", dependencies: ["FoveaTraining", "FoveaData", "FoveaModels", "Fovea", "FoveaTestSupport"]),
        .testTarget(name: "FoveaCLITests", dependencies: ["FoveaTestSupport", "FoveaTraining", "FoveaData", "FoveaModels", "FoveaPlot", "Fovea"]),
        .testTarget(name: "LessonTests", dependencies: ["Fovea", "FoveaTestSupport"]),
    ] + lessons.map { folder in
        // MARK: - Lessons
        .executableTarget(name: "lesson" + folder.prefix(2),
                          dependencies: ["Fovea", "FoveaData", "FoveaModels", "FoveaTraining", "FoveaPlot", "FoveaNotebook"],
                          path: "Lessons/" + folder)
    }
)
