# Cross-build the native core for linux-arm64 (Graviton, Ampere, Raspberry Pi 64-bit) with
# Debian's gcc-aarch64-linux-gnu, and run its CTest suite under qemu's user-mode emulator.
#   cmake -S src/HashCore -B build/native-linux-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/linux-arm64.cmake
# Packages: gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static (build.ps1 installs them).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CND_ARM64_SYSROOT /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH "${CND_ARM64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)   # tools (python3, nm) are the build machine's
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# `-cpu max` has the SHA-2 extension, so the suite runs the ARMv8 kernel; -L lets the
# dynamically linked test programs find the target's loader and libc.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static -cpu max -L "${CND_ARM64_SYSROOT}")
