# Code generators of the compiler: re2c turns compiler/lexer.re into lexer.cpp, and Bison
# turns compiler/parser.y into parser.cpp, parser.hpp and location.hh. Everything they
# write goes to ${ASY_GENERATED_DIR}, which is on asy_compiler's include path.

# re2c flags. -W turns on every warning (unreachable rules, undefined control flow...);
# --no-generation-date and --no-version keep the output identical between machines, so
# ccache can reuse objects. The input encoding and other lexer options are best set in
# lexer.re itself, with re2c configurations such as `re2c:encoding:utf8 = 1;`.
set(ASY_RE2C_FLAGS -W --no-generation-date --no-version
    CACHE STRING "Flags passed to re2c for compiler/lexer.re")

# Bison flags. -Wall reports useless rules and conflicts. Add -Wcounterexamples while
# hunting a conflict: it shows an ambiguous input, but may take seconds per conflict.
set(ASY_BISON_FLAGS -Wall
    CACHE STRING "Flags passed to Bison for compiler/parser.y")

# asy_generate_lexer(OUT_VAR lexer.re): if the .re file exists, add a rule that runs re2c
# on it and put the generated lexer.cpp in OUT_VAR; otherwise OUT_VAR is empty.
function(asy_generate_lexer out_var re_file)
    set(${out_var} "" PARENT_SCOPE)
    # Existence is checked at configure time; CONFIGURE_DEPENDS on a glob makes the first
    # build after the file appears reconfigure and pick it up.
    get_filename_component(dir "${re_file}" DIRECTORY)
    get_filename_component(name "${re_file}" NAME)
    file(GLOB found CONFIGURE_DEPENDS "${dir}/${name}")
    if(NOT found)
        return()
    endif()
    find_program(ASY_RE2C re2c REQUIRED)
    set(output "${ASY_GENERATED_DIR}/lexer.cpp")
    add_custom_command(
        OUTPUT "${output}"
        COMMAND "${ASY_RE2C}" ${ASY_RE2C_FLAGS} -o "${output}" "${re_file}"
        DEPENDS "${re_file}"
        COMMENT "re2c: compiler/lexer.re -> lexer.cpp"
        VERBATIM)
    set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

# asy_generate_parser(OUT_VAR parser.y): the same for Bison. The grammar chooses the C++
# skeleton itself (%language "c++" or %skeleton "lalr1.cc"); with %locations Bison also
# writes location.hh beside parser.hpp.
function(asy_generate_parser out_var y_file)
    set(${out_var} "" PARENT_SCOPE)
    get_filename_component(dir "${y_file}" DIRECTORY)
    get_filename_component(name "${y_file}" NAME)
    file(GLOB found CONFIGURE_DEPENDS "${dir}/${name}")
    if(NOT found)
        return()
    endif()
    find_program(ASY_BISON bison REQUIRED)
    set(source "${ASY_GENERATED_DIR}/parser.cpp")
    set(header "${ASY_GENERATED_DIR}/parser.hpp")
    add_custom_command(
        OUTPUT "${source}" "${header}"
        COMMAND "${ASY_BISON}" ${ASY_BISON_FLAGS} "--header=${header}" -o "${source}" "${y_file}"
        DEPENDS "${y_file}"
        # Bison writes location.hh into the current directory of the command.
        WORKING_DIRECTORY "${ASY_GENERATED_DIR}"
        COMMENT "bison: compiler/parser.y -> parser.cpp, parser.hpp"
        VERBATIM)
    set(${out_var} "${source}" "${header}" PARENT_SCOPE)
endfunction()
