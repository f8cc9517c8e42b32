# win-x64: the native core cross-built with MinGW-w64 (Debian: gcc-mingw-w64-x86-64), the one
# Windows compiler the core supports. Its CTest suite runs under Wine (Debian: wine64) through
# cmake/wine-run.sh, which CTest puts in front of every test program.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc)

# Headers and libraries from the MinGW sysroot only; programs (python3, objdump) from the build host.
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

get_filename_component(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../wine-run.sh" ABSOLUTE)
