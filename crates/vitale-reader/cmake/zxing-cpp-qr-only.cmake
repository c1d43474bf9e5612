# Optional: builds zxing-cpp's bundled C++ library (feature `zxing-cpp` of
# vitale-reader) with its QR reader only, leaving out the 1D, Aztec,
# DataMatrix, MaxiCode and PDF417 readers the SDK never calls. The `zxing-cpp`
# crate's build script passes no such option, so this file is given to CMake
# as a toolchain file (read before the library's options are declared):
#
#   CMAKE_TOOLCHAIN_FILE=$PWD/crates/vitale-reader/cmake/zxing-cpp-qr-only.cmake cargo build ...
#
# The workspace's .cargo/config.toml sets it for builds in this repository.
# It sets nothing else: the host compiler and flags are CMake's defaults.
foreach(format 1D AZTEC DATAMATRIX MAXICODE PDF417)
    set("ZXING_ENABLE_${format}" OFF CACHE BOOL "vitale-sdk: QR only")
endforeach()
