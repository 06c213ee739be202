// The interpreter as the command line sees it (interpreter.hpp): read a program, compile it,
// run it as __main__ in a fresh VM, and turn the outcome into an exit status the way CPython
// does (1 after a traceback, SystemExit's code, 130 for KeyboardInterrupt).
#include "runtime/interpreter.hpp"

#include "compiler/compiler.hpp"
#include "compiler/disassembler.hpp"
#include "compiler/parse.hpp"
#include "compiler/source.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm_internal.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace asy {

namespace {

bool read_whole_file(const std::string& path, std::string& out) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return false;
    std::ostringstream text;
    text << file.rdbuf();
    out = text.str();
    return true;
}

void print_syntax_error(const SyntaxError& error) {
    std::string text = format_syntax_error(error);
    std::fflush(stdout);
    std::cerr << text;
    if (!text.empty() && text.back() != '\n') std::cerr << '\n';
}

// The exit status of an uncaught SystemExit: its code (None is 0, an int is itself, anything
// else is printed to stderr and gives 1).
int system_exit_status(VM& vm, Value exception) {
    Tuple* args = as_exception(exception)->args;
    Value code = Value::none();
    if (args && args->items.size() == 1) code = args->items[0];
    else if (args && args->items.size() > 1) code = Value::from_object(args);
    if (code.is_none()) return 0;
    if (code.is_small_int()) return static_cast<int>(code.as_small_int() & 0xff);
    if (code.is_bool()) return code.as_bool() ? 1 : 0;
    String* text = ops::str(vm, code);
    std::fflush(stdout);
    if (text) std::cerr << text->utf8 << '\n';
    vm.clear_exception();
    return 1;
}

}  // namespace

int VM::run_main(const SourceFile& source, const std::vector<std::string>& program_argv) {
    argv = program_argv;
    ParseResult parsed = parse_module(source);
    if (parsed.error) {
        print_syntax_error(*parsed.error);
        return 1;
    }
    CompileResult compiled = compile_module(*parsed.module, source);
    if (compiled.error) {
        print_syntax_error(*compiled.error);
        return 1;
    }
    // Imports look beside the script.
    auto slash = source.filename.rfind('/');
    script_directory = slash == std::string::npos ? "." : source.filename.substr(0, slash);
    if (script_directory.empty()) script_directory = "/";

    Root module(*this, new_module(*this, "__main__"));
    Dict* globals = module.as<Module>()->dict;
    dict_set_str(*this, globals, names().file, Value::from_object(new_string(*this, source.filename)));
    dict_set_str(*this, globals, names().builtins, Value::from_object(builtins_module()));
    dict_set_str(*this, modules, names().main, module);

    Code* code = load_code(*this, compiled.code);
    Root code_root(*this, code);
    Frame* frame = acquire_frame(*this, code);
    frame->globals = globals;
    frame->builtins = builtins();
    frame->is_entry = true;
    frames.push_back(frame);
    Value result = run_frame(*this, frame);
    std::fflush(stdout);
    if (!result.is_null()) return 0;

    Value exception = take_exception();
    Root exception_root(*this, exception);
    if (is_subtype(exception.as_object()->type, types().system_exit)) return system_exit_status(*this, exception);
    print_exception(*this, exception, std::cerr);
    if (is_subtype(exception.as_object()->type, types().keyboard_interrupt)) return 130;
    return 1;
}

int run_source(std::string_view text, const std::string& filename, const RunOptions& options) {
    VM vm;
    auto source = std::make_unique<SourceFile>();
    source->filename = filename;
    source->text = std::string(text);
    const SourceFile& kept = *source;
    vm.sources.push_back(std::move(source));
    return vm.run_main(kept, options.argv);
}

int run_file(const std::string& path, const RunOptions& options) {
    std::string text;
    if (!read_whole_file(path, text)) {
        std::cerr << "asy: can't open file '" << path << "': [Errno 2] No such file or directory\n";
        return 2;
    }
    // Tracebacks name the main script by its absolute path, as CPython's do.
    std::error_code error;
    std::filesystem::path absolute = std::filesystem::absolute(path, error);
    return run_source(text, error ? path : absolute.lexically_normal().string(), options);
}

int disassemble_file(const std::string& path, std::ostream& out) {
    SourceFile source;
    source.filename = path;
    if (!read_whole_file(path, source.text)) {
        std::cerr << "asy: can't open file '" << path << "': [Errno 2] No such file or directory\n";
        return 2;
    }
    ParseResult parsed = parse_module(source);
    if (parsed.error) {
        print_syntax_error(*parsed.error);
        return 1;
    }
    CompileResult compiled = compile_module(*parsed.module, source);
    if (compiled.error) {
        print_syntax_error(*compiled.error);
        return 1;
    }
    disassemble(*compiled.code, &source, out);
    return 0;
}

}  // namespace asy
