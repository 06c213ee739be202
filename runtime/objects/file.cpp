// Text files: what open() returns and what sys.stdout, sys.stderr and sys.stdin are. A
// TextFile wraps a C stdio stream and speaks UTF-8 text only (binary modes are refused
// with a clear error); it reads with universal newlines as Python's text files do. The type
// is io.TextIOWrapper, kept in the `_io` module so the collector always sees it.
#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/vm.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace asy {

namespace {

struct TextFile : Object {
    TextFile(std::FILE* stream, std::string file_name, std::string file_mode, bool can_read, bool can_write, bool owns)
        : file(stream), name(std::move(file_name)), mode(std::move(file_mode)), readable(can_read),
          writable(can_write), owned(owns) {}
    ~TextFile() {
        if (owned && file && !closed) std::fclose(file);
    }
    TextFile(const TextFile&) = delete;
    TextFile& operator=(const TextFile&) = delete;

    // The C stream; never null until closed.
    std::FILE* file;
    // The name open() was given, or "<stdout>" for a standard stream.
    std::string name;
    // The mode string open() was given ("r", "w", "a+"...).
    std::string mode;
    bool readable;
    bool writable;
    // False for the standard streams, which close() only marks closed (the process keeps them).
    bool owned;
    bool closed = false;
};

// The TextIOWrapper type, found through the `_io` module (which roots it).
Type* file_type(VM& vm) {
    const Value io = dict_get_str(vm.modules, vm.intern("_io"));
    auto* module = static_cast<Module*>(io.as_object());
    return static_cast<Type*>(dict_get_str(module->dict, vm.intern("TextIOWrapper")).as_object());
}

TextFile* as_file(VM& vm, Value value) {
    if (!value.is_object()) return nullptr;
    // Identify the type by its finalize slot: cheaper than a module lookup, and unique.
    Type* type = value.as_object()->type;
    while (type && type->finalize != finalize_object<TextFile>) type = type->base;
    (void)vm;
    return type ? static_cast<TextFile*>(value.as_object()) : nullptr;
}

// The self of a file method, open, or nullptr after raising.
TextFile* open_self(VM& vm, CallArgs args, std::string_view name) {
    TextFile* file = args.positional_count() >= 1 ? as_file(vm, args[0]) : nullptr;
    if (!file) {
        vm.raise_format(vm.types().type_error, "descriptor '{}' requires a '_io.TextIOWrapper' object", name);
        return nullptr;
    }
    if (file->closed) {
        vm.raise(vm.types().value_error, "I/O operation on closed file.");
        return nullptr;
    }
    return file;
}

TextFile* readable_self(VM& vm, CallArgs args, std::string_view name) {
    TextFile* file = open_self(vm, args, name);
    if (file && !file->readable) {
        vm.raise(vm.types().os_error, "not readable");
        return nullptr;
    }
    return file;
}

// Reads one line, '\n' included, with "\r\n" and a lone "\r" read as "\n". Empty at the end.
std::string read_line(std::FILE* stream) {
    std::string line;
    int c;
    while ((c = std::fgetc(stream)) != EOF) {
        if (c == '\r') {
            const int next = std::fgetc(stream);
            if (next != '\n' && next != EOF) std::ungetc(next, stream);
            line.push_back('\n');
            break;
        }
        line.push_back(static_cast<char>(c));
        if (c == '\n') break;
    }
    return line;
}

// Reads up to `count` code points (all of the rest for a negative count).
std::string read_text(std::FILE* stream, std::int64_t count) {
    std::string text;
    std::int64_t characters = 0;
    int c;
    while ((count < 0 || characters < count) && (c = std::fgetc(stream)) != EOF) {
        if (c == '\r') {
            const int next = std::fgetc(stream);
            if (next != '\n' && next != EOF) std::ungetc(next, stream);
            c = '\n';
        }
        text.push_back(static_cast<char>(c));
        // A UTF-8 lead byte starts a character; continuation bytes complete it.
        if ((c & 0xC0) != 0x80) ++characters;
    }
    // Finish a character whose continuation bytes were not read yet.
    while ((c = std::fgetc(stream)) != EOF) {
        if ((c & 0xC0) != 0x80) {
            std::ungetc(c, stream);
            break;
        }
        text.push_back(static_cast<char>(c));
    }
    return text;
}

// ---------------------------------------------------------------- methods

Value file_read(VM& vm, CallArgs args) {
    TextFile* file = readable_self(vm, args, "read");
    if (!file || !check_positional(vm, args.without_self(), "read", 0, 1)) return Value::null();
    std::int64_t count = -1;
    if (args.positional_count() == 2 && !args[1].is_none()) {
        const int status = index_value(vm, args[1], count);
        if (status == 0)
            return vm.raise_format(vm.types().type_error, "argument should be integer or None, not '{}'",
                                   ops::type_name(vm, args[1]));
        if (status < 0) return Value::null();
    }
    return make_str(vm, read_text(file->file, count));
}

Value file_readline(VM& vm, CallArgs args) {
    TextFile* file = readable_self(vm, args, "readline");
    if (!file) return Value::null();
    return make_str(vm, read_line(file->file));
}

Value file_readlines(VM& vm, CallArgs args) {
    TextFile* file = readable_self(vm, args, "readlines");
    if (!file) return Value::null();
    std::vector<Value> lines;
    RootVector keep(vm, lines);
    for (;;) {
        std::string line = read_line(file->file);
        if (line.empty()) break;
        lines.push_back(make_str(vm, std::move(line)));
    }
    return Value::from_object(new_list(vm, std::move(lines)));
}

Value file_write(VM& vm, CallArgs args) {
    TextFile* file = open_self(vm, args, "write");
    if (!file || !check_one_argument(vm, args.without_self(), "write")) return Value::null();
    auto* text = as_instance<String>(args[1], vm.types().str);
    if (!text)
        return vm.raise_format(vm.types().type_error, "write() argument must be str, not {}", ops::type_name(vm, args[1]));
    if (!file->writable) return vm.raise(vm.types().os_error, "not writable");
    std::fwrite(text->utf8.data(), 1, text->utf8.size(), file->file);
    return Value::from_small_int(text->length);
}

Value file_writelines(VM& vm, CallArgs args) {
    TextFile* file = open_self(vm, args, "writelines");
    if (!file || !check_one_argument(vm, args.without_self(), "writelines")) return Value::null();
    if (!file->writable) return vm.raise(vm.types().os_error, "not writable");
    const bool ok = for_each_item(vm, args[1], [&](Value item) {
        auto* text = as_instance<String>(item, vm.types().str);
        if (!text) {
            vm.raise_format(vm.types().type_error, "write() argument must be str, not {}", ops::type_name(vm, item));
            return false;
        }
        std::fwrite(text->utf8.data(), 1, text->utf8.size(), file->file);
        return true;
    });
    return ok ? Value::none() : Value::null();
}

Value file_flush(VM& vm, CallArgs args) {
    TextFile* file = open_self(vm, args, "flush");
    if (!file) return Value::null();
    std::fflush(file->file);
    return Value::none();
}

Value file_close(VM& vm, CallArgs args) {
    TextFile* file = args.positional_count() >= 1 ? as_file(vm, args[0]) : nullptr;
    if (!file) return vm.raise(vm.types().type_error, "close() needs a file");
    // Closing twice is allowed and does nothing.
    if (!file->closed) {
        if (file->owned)
            std::fclose(file->file);
        else
            std::fflush(file->file);
        file->closed = true;
    }
    return Value::none();
}

Value file_enter(VM& vm, CallArgs args) {
    if (!open_self(vm, args, "__enter__")) return Value::null();
    return args[0];
}

// __exit__ closes the file and lets any exception propagate (returns None).
Value file_exit(VM& vm, CallArgs args) {
    CallArgs self_only = args;
    self_only.count = 1;
    self_only.kwnames = nullptr;
    return file_close(vm, self_only);
}

Value file_predicate(VM& vm, CallArgs args, bool TextFile::*member, std::string_view name) {
    TextFile* file = open_self(vm, args, name);
    if (!file) return Value::null();
    return Value::from_bool(file->*member);
}

Value file_readable(VM& vm, CallArgs args) { return file_predicate(vm, args, &TextFile::readable, "readable"); }
Value file_writable(VM& vm, CallArgs args) { return file_predicate(vm, args, &TextFile::writable, "writable"); }

Value file_fileno(VM& vm, CallArgs args) {
    TextFile* file = open_self(vm, args, "fileno");
    if (!file) return Value::null();
    return Value::from_small_int(fileno(file->file));
}

Value file_isatty(VM& vm, CallArgs args) {
    TextFile* file = open_self(vm, args, "isatty");
    if (!file) return Value::null();
    return Value::from_bool(isatty(fileno(file->file)) != 0);
}

// ---------------------------------------------------------------- slots

String* file_repr(VM& vm, Value self) {
    auto* file = static_cast<TextFile*>(self.as_object());
    std::string name_repr = "'" + file->name + "'";
    if (file->closed) return new_string(vm, std::string("<_io.TextIOWrapper name=") + name_repr + " closed>");
    return new_string(vm, fmt::format("<_io.TextIOWrapper name={} mode='{}' encoding='UTF-8'>", name_repr, file->mode));
}

Value file_iter(VM& vm, Value self) {
    auto* file = static_cast<TextFile*>(self.as_object());
    if (file->closed) return vm.raise(vm.types().value_error, "I/O operation on closed file.");
    return self;
}

// Iterating a file yields its lines.
Value file_next(VM& vm, Value self) {
    auto* file = static_cast<TextFile*>(self.as_object());
    if (file->closed) return vm.raise(vm.types().value_error, "I/O operation on closed file.");
    std::string line = read_line(file->file);
    if (line.empty()) return Value::null();
    return make_str(vm, std::move(line));
}

// ---------------------------------------------------------------- open()

// Raises the OSError subclass CPython raises for `error` (an errno value) on `path`.
Value raise_os_error(VM& vm, int error, const std::string& path) {
    Type* type = vm.types().os_error;
    switch (error) {
    case ENOENT: type = vm.types().file_not_found_error; break;
    case EACCES:
    case EPERM: type = vm.types().permission_error; break;
    case EISDIR: type = vm.types().is_a_directory_error; break;
    case EEXIST: type = vm.types().file_exists_error; break;
    case ENOTDIR: type = vm.types().not_a_directory_error; break;
    default: break;
    }
    // OSError(errno, strerror, filename): e.errno, e.strerror and e.filename are set, and
    // str(e) reads "[Errno 2] No such file or directory: 'name'".
    std::vector<Value> args{Value::from_small_int(error), Value::null(), Value::null()};
    RootVector rooted(vm, args);
    args[1] = make_str(vm, std::strerror(error));
    args[2] = make_str(vm, path);
    const Value exception = vm.call(Value::from_object(type), std::span<const Value>(args));
    if (exception.is_null()) return Value::null();
    return vm.raise_value(exception);
}

// open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None)
Value builtin_open(VM& vm, CallArgs args) {
    static const Signature signature{"open", {"file", "mode", "buffering", "encoding", "errors", "newline", "closefd"},
                                     0, 1, 7};
    Value bound[7];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    auto* path = as_instance<String>(bound[0], vm.types().str);
    if (!path)
        return vm.raise_format(vm.types().type_error, "expected str, bytes or os.PathLike object, not {}",
                               ops::type_name(vm, bound[0]));
    std::string mode = "r";
    if (!bound[1].is_null()) {
        auto* m = as_instance<String>(bound[1], vm.types().str);
        if (!m)
            return vm.raise_format(vm.types().type_error, "open() argument 'mode' must be str, not {}",
                                   ops::type_name(vm, bound[1]));
        mode = m->utf8;
    }
    // Parse the mode: exactly one of r w a x, optionally + and t; b is not supported.
    char kind = 0;
    bool plus = false;
    for (char c : mode) {
        if (c == 'r' || c == 'w' || c == 'a' || c == 'x') {
            if (kind) return vm.raise(vm.types().value_error, "must have exactly one of create/read/write/append mode");
            kind = c;
        } else if (c == '+') {
            plus = true;
        } else if (c == 'b') {
            return vm.raise(vm.types().value_error, "asy does not support binary files (mode 'b') yet");
        } else if (c != 't') {
            return vm.raise_format(vm.types().value_error, "invalid mode: '{}'", mode);
        }
    }
    if (!kind) return vm.raise(vm.types().value_error, "Must have exactly one of create/read/write/append mode and at most one plus");
    const std::string& name = path->utf8;
    // fopen happily opens a directory for reading; Python refuses at open.
    struct stat info {};
    if (::stat(name.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) return raise_os_error(vm, EISDIR, name);
    if (kind == 'x' && ::stat(name.c_str(), &info) == 0) return raise_os_error(vm, EEXIST, name);
    std::string c_mode(1, kind == 'x' ? 'w' : kind);
    if (plus) c_mode += '+';
    std::FILE* stream = std::fopen(name.c_str(), c_mode.c_str());
    if (!stream) return raise_os_error(vm, errno, name);
    const bool readable = kind == 'r' || plus;
    const bool writable = kind != 'r' || plus;
    auto* file = vm.heap().allocate<TextFile>(file_type(vm), stream, name, mode, readable, writable, true);
    return Value::from_object(file);
}

}  // namespace

Value new_std_stream(VM& vm, int fd) {
    std::FILE* stream = fd == 0 ? stdin : fd == 1 ? stdout : stderr;
    const char* name = fd == 0 ? "<stdin>" : fd == 1 ? "<stdout>" : "<stderr>";
    auto* file = vm.heap().allocate<TextFile>(file_type(vm), stream, name, fd == 0 ? "r" : "w", fd == 0, fd != 0, false);
    return Value::from_object(file);
}

bool write_to_file(VM& vm, Value file, std::string_view text) {
    if (TextFile* f = as_file(vm, file)) {
        if (f->closed) {
            vm.raise(vm.types().value_error, "I/O operation on closed file.");
            return false;
        }
        if (!f->writable) {
            vm.raise(vm.types().os_error, "not writable");
            return false;
        }
        std::fwrite(text.data(), 1, text.size(), f->file);
        return true;
    }
    // Any object with a write method will do.
    Root text_value(vm, make_str(vm, std::string(text)));
    const Value args[] = {text_value.get()};
    return !vm.call_method(file, vm.intern("write"), args).is_null();
}

bool is_text_file(VM& vm, Value value) { return as_file(vm, value) != nullptr; }

bool flush_file(VM& vm, Value file) {
    if (TextFile* f = as_file(vm, file)) {
        if (!f->closed) std::fflush(f->file);
        return true;
    }
    const Value flush = ops::getattr_optional(vm, file, vm.intern("flush"));
    if (flush.is_null()) return !vm.has_exception();
    return !vm.call(flush, std::span<const Value>{}).is_null();
}

void init_file_type(VM& vm) {
    Type* type = make_builtin_type(vm, "TextIOWrapper", vm.types().object);
    type->repr = file_repr;
    type->iter = file_iter;
    type->next = file_next;
    type->finalize = finalize_object<TextFile>;
    define_method(vm, type, "read", file_read);
    define_method(vm, type, "readline", file_readline);
    define_method(vm, type, "readlines", file_readlines);
    define_method(vm, type, "write", file_write);
    define_method(vm, type, "writelines", file_writelines);
    define_method(vm, type, "flush", file_flush);
    define_method(vm, type, "close", file_close);
    define_method(vm, type, "__enter__", file_enter);
    define_method(vm, type, "__exit__", file_exit);
    define_method(vm, type, "readable", file_readable);
    define_method(vm, type, "writable", file_writable);
    define_method(vm, type, "fileno", file_fileno);
    define_method(vm, type, "isatty", file_isatty);
    define_property(vm, type, "name", [](VM& vm, CallArgs args) {
        return make_str(vm, static_cast<TextFile*>(args[0].as_object())->name);
    });
    define_property(vm, type, "mode", [](VM& vm, CallArgs args) {
        return make_str(vm, static_cast<TextFile*>(args[0].as_object())->mode);
    });
    define_property(vm, type, "closed", [](VM&, CallArgs args) {
        return Value::from_bool(static_cast<TextFile*>(args[0].as_object())->closed);
    });
    define_property(vm, type, "encoding", [](VM& vm, CallArgs) { return make_str(vm, "UTF-8"); });

    // The `_io` module keeps the type reachable (and lets `import _io` find it).
    Module* io = new_module(vm, "_io");
    Root io_root(vm, io);
    type->module = io->name;
    dict_set_str(vm, io->dict, type->name, Value::from_object(type));
    dict_set_str(vm, vm.modules, io->name, Value::from_object(io));

    define_builtin(vm, "open", builtin_open);
}

}  // namespace asy
