# Compiler settings shared by every asy target: language level, optimisation, ccache,
# warnings and sanitizers. Targets pick up the warnings by linking asy_build_settings.

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
# Plain ISO C++20, no GNU dialect (STYLE.md: "no GNU-only extensions").
set(CMAKE_CXX_EXTENSIONS OFF)
# compile_commands.json for editors and clangd.
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

# The default build is an optimised one, because students run real programs with it.
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type (Release, Debug, RelWithDebInfo)" FORCE)
endif()

# Release means -O2 with debug information, and NDEBUG stays undefined in every build type:
# C++ assert() guards asy's own invariants (a bad stack depth, an unrooted object), and an
# interpreter that silently carries on past a broken invariant corrupts memory instead of
# stopping at the bug. Python-visible errors never use assert (see STYLE.md, "Errors").
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -g")
foreach(config RELWITHDEBINFO MINSIZEREL)
    string(REPLACE "-DNDEBUG" "" CMAKE_CXX_FLAGS_${config} "${CMAKE_CXX_FLAGS_${config}}")
endforeach()

# ccache makes rebuilds (and the second, sanitized build of ./setup.sh test) much cheaper.
find_program(ASY_CCACHE ccache)
if(ASY_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${ASY_CCACHE}")
endif()

# Sanitizers apply to everything, test executables included, so they go on globally.
if(ASY_SANITIZE)
    set(ASY_SANITIZER_FLAGS
        -fsanitize=address,undefined
        -fno-omit-frame-pointer
        # Undefined behaviour is a bug, not a warning: stop at the first one.
        -fno-sanitize-recover=undefined)
    add_compile_options(${ASY_SANITIZER_FLAGS})
    add_link_options(${ASY_SANITIZER_FLAGS})
endif()

# Warnings for asy's own code. (An INTERFACE library rather than global flags, so that
# a third-party header found through a system include path keeps its own warnings quiet.)
add_library(asy_build_settings INTERFACE)
target_compile_options(asy_build_settings INTERFACE -Wall -Wextra)
if(ASY_WARNINGS_AS_ERRORS)
    target_compile_options(asy_build_settings INTERFACE -Werror)
endif()
