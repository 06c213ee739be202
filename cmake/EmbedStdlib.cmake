# The asy standard library written in asy (stdlib/**/*.asy) is compiled into the binary,
# so that `asy` is one self-contained program. At build time cmake/embed_stdlib_sources.cmake
# (a CMake script, so no Python is needed) turns every .asy file into a string constant in
# embedded_stdlib.cpp, which defines asy::embedded_stdlib() from runtime/embedded_stdlib.hpp.

# asy_embed_stdlib(OUT_VAR STDLIB_DIR): add the rule that writes embedded_stdlib.cpp and
# put its path in OUT_VAR.
function(asy_embed_stdlib out_var stdlib_dir)
    # The glob is only for dependencies: changing a file re-runs the script, and adding or
    # removing one re-runs CMake (CONFIGURE_DEPENDS), which gives the rule its new list.
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${stdlib_dir}/*.asy")
    set(script "${PROJECT_SOURCE_DIR}/cmake/embed_stdlib_sources.cmake")
    set(output "${ASY_GENERATED_DIR}/embedded_stdlib.cpp")
    add_custom_command(
        OUTPUT "${output}"
        COMMAND "${CMAKE_COMMAND}" "-DSTDLIB_DIR=${stdlib_dir}" "-DOUTPUT=${output}"
                -P "${script}"
        DEPENDS ${sources} "${script}"
        COMMENT "Embedding stdlib/**/*.asy"
        VERBATIM)
    set(${out_var} "${output}" PARENT_SCOPE)
endfunction()
