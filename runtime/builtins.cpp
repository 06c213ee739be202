// The builtin functions that work on any object or iterable: print, len, sorted, min, max,
// sum, any, all, iter, next, isinstance, getattr & co., input, vars, dir, globals, locals.
// init_containers_and_builtins (builtin_init.hpp) starts here: it sets up every container
// type, the iterators, open() and these functions. Numeric and text builtins (abs, round,
// chr, ord, format...) belong to the numbers-and-text part.
#include "runtime/builtin_init.hpp"

#include "runtime/frame.hpp"
#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/iterators.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm.hpp"
#include "stdlib/native/native_modules.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

namespace asy {

namespace {

using containers::Verdict;

// The keyword argument names a builtin accepts; anything else is
// "'foo' is an invalid keyword argument for print()".
bool check_keywords(VM& vm, CallArgs args, std::string_view function, std::initializer_list<std::string_view> allowed) {
    for (std::size_t i = 0; i < args.keyword_count(); ++i) {
        const std::string_view name = args.keyword_name(i)->view();
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            vm.raise_format(vm.types().type_error, "'{}' is an invalid keyword argument for {}()", name, function);
            return false;
        }
    }
    return true;
}

bool is_str(VM& vm, Value value) { return as_instance<String>(value, vm.types().str) != nullptr; }

// An attribute name argument: an interned String, or nullptr after raising
// "attribute name must be string, not 'int'".
String* attribute_name(VM& vm, Value value) {
    auto* name = as_instance<String>(value, vm.types().str);
    if (!name) {
        vm.raise_format(vm.types().type_error, "attribute name must be string, not '{}'", ops::type_name(vm, value));
        return nullptr;
    }
    return vm.intern(name->view());
}

// sys.<name> if the program has imported sys, else null.
Value sys_attribute(VM& vm, std::string_view name) {
    const Value sys = dict_get_str(vm.modules, vm.intern("sys"));
    if (sys.is_null() || !sys.is_object()) return Value::null();
    auto* module = as_instance<Module>(sys, vm.types().module);
    if (!module) return Value::null();
    return dict_get_str(module->dict, vm.intern(name));
}

// ---------------------------------------------------------------- print, input

// print(*objects, sep=' ', end='\n', file=None, flush=False)
Value builtin_print(VM& vm, CallArgs args) {
    if (!check_keywords(vm, args, "print", {"sep", "end", "file", "flush"})) return Value::null();
    const Value sep = keyword_argument(args, "sep");
    const Value end = keyword_argument(args, "end");
    Value file = keyword_argument(args, "file");
    const Value flush = keyword_argument(args, "flush");
    for (const auto& [value, what] : {std::pair{sep, "sep"}, std::pair{end, "end"}}) {
        if (!value.is_null() && !value.is_none() && !is_str(vm, value))
            return vm.raise_format(vm.types().type_error, "{} must be None or a string, not {}", what,
                                   ops::type_name(vm, value));
    }
    const std::string_view sep_text =
        sep.is_null() || sep.is_none() ? std::string_view(" ") : static_cast<String*>(sep.as_object())->view();
    const std::string_view end_text =
        end.is_null() || end.is_none() ? std::string_view("\n") : static_cast<String*>(end.as_object())->view();

    // The destination: file=, else sys.stdout (which a program may have replaced), else
    // the process's standard output itself.
    if (file.is_null() || file.is_none()) file = sys_attribute(vm, "stdout");
    // print(..., file=None) with sys.stdout set to None prints nothing, as in CPython.
    const bool to_process_stdout = file.is_null();
    if (!to_process_stdout && file.is_none()) return Value::none();

    // A file object of the program's own gets each piece by a write() call of its own, in
    // CPython's order (the pieces are observable); stdout gets the line in one go.
    const bool piecewise = !to_process_stdout && !is_text_file(vm, file);
    std::string text;
    for (std::size_t i = 0; i < args.positional_count(); ++i) {
        if (i > 0) {
            if (piecewise) {
                if (!write_to_file(vm, file, sep_text)) return Value::null();
            } else {
                text += sep_text;
            }
        }
        String* piece = ops::str(vm, args[i]);
        if (!piece) return Value::null();
        if (piecewise) {
            if (!write_to_file(vm, file, piece->view())) return Value::null();
        } else {
            text += piece->view();
        }
    }
    if (piecewise) {
        if (!write_to_file(vm, file, end_text)) return Value::null();
    } else {
        text += end_text;
        if (to_process_stdout) {
            std::fwrite(text.data(), 1, text.size(), stdout);
        } else if (!write_to_file(vm, file, text)) {
            return Value::null();
        }
    }
    if (!flush.is_null()) {
        const Truth t = ops::truthy(vm, flush);
        if (t == Truth::Error) return Value::null();
        if (t == Truth::True) {
            if (to_process_stdout)
                std::fflush(stdout);
            else if (!flush_file(vm, file))
                return Value::null();
        }
    }
    return Value::none();
}

// input(prompt=''): one line of standard input without its newline; EOFError at the end.
Value builtin_input(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "input") || !check_positional(vm, args, "input", 0, 1)) return Value::null();
    if (args.positional_count() == 1) {
        String* prompt = ops::str(vm, args[0]);
        if (!prompt) return Value::null();
        const Value out = sys_attribute(vm, "stdout");
        if (out.is_null() || out.is_none()) {
            std::fwrite(prompt->utf8.data(), 1, prompt->utf8.size(), stdout);
        } else if (!write_to_file(vm, out, prompt->view())) {
            return Value::null();
        }
    }
    // The prompt must be visible before the program waits for the answer.
    std::fflush(stdout);
    const Value in = sys_attribute(vm, "stdin");
    if (!in.is_null() && !in.is_none() && type_of(vm, in)->name->view() != "TextIOWrapper") {
        // A replaced sys.stdin: ask it for a line.
        const Value line = vm.call_method(in, vm.intern("readline"), {});
        if (line.is_null()) return line;
        auto* s = as_instance<String>(line, vm.types().str);
        if (!s) return vm.raise(vm.types().type_error, "object.readline() returned non-string");
        if (s->utf8.empty()) return vm.raise(vm.types().eof_error, "EOF when reading a line");
        std::string text = s->utf8;
        if (!text.empty() && text.back() == '\n') text.pop_back();
        return make_str(vm, std::move(text));
    }
    std::string line;
    int c;
    bool any = false;
    while ((c = std::fgetc(stdin)) != EOF) {
        any = true;
        if (c == '\n') break;
        line.push_back(static_cast<char>(c));
    }
    if (!any) return vm.raise(vm.types().eof_error, "EOF when reading a line");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return make_str(vm, std::move(line));
}

// ---------------------------------------------------------------- len, sorted, min, max, sum

Value builtin_len(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "len")) return Value::null();
    const std::int64_t n = ops::len(vm, args[0]);
    return n < 0 ? Value::null() : int_from_int64(vm, n);
}

// sorted(iterable, /, *, key=None, reverse=False)
Value builtin_sorted(VM& vm, CallArgs args) {
    if (!check_positional(vm, CallArgs(args.positional()), "sorted", 1, 1)) return Value::null();
    // The keywords are list.sort's, and so are the messages about them.
    static const Signature signature{"sort", {"key", "reverse"}, 0, 0, 0};
    Value bound[2];
    CallArgs keywords = args;
    keywords.values += 1;
    keywords.count -= 1;
    if (!bind_arguments(vm, keywords, signature, bound)) return Value::null();
    Root list(vm, new_list(vm));
    if (!collect_items(vm, args[0], list.as<List>()->items)) return Value::null();
    bool reverse = false;
    if (!bound[1].is_null()) {
        const Truth t = ops::truthy(vm, bound[1]);
        if (t == Truth::Error) return Value::null();
        reverse = t == Truth::True;
    }
    if (sort_list(vm, list.as<List>(), bound[0], reverse).is_null()) return Value::null();
    return list.get();
}

// min() and max(): one iterable (with default=) or several arguments, with key=.
Value min_max(VM& vm, CallArgs args, bool is_max) {
    const char* name = is_max ? "max" : "min";
    if (!check_keywords(vm, args, name, {"key", "default"})) return Value::null();
    if (args.positional_count() == 0)
        return vm.raise_format(vm.types().type_error, "{} expected at least 1 argument, got 0", name);
    Value key = keyword_argument(args, "key");
    if (key.is_none()) key = Value::null();
    const Value fallback = keyword_argument(args, "default");
    if (!fallback.is_null() && args.positional_count() > 1)
        return vm.raise_format(vm.types().type_error,
                               "Cannot specify a default for {}() with multiple positional arguments", name);
    // With one argument, its items are compared; with several, the arguments themselves.
    Root best(vm, Value::null());
    Root best_key(vm, Value::null());
    auto consider = [&](Value item) {
        Root item_root(vm, item);
        Value item_key = item;
        if (!key.is_null()) {
            const Value call_args[] = {item};
            item_key = vm.call(key, call_args);
            if (item_key.is_null()) return false;
        }
        Root key_root(vm, item_key);
        if (best.get().is_null()) {
            best.set(item);
            best_key.set(item_key);
            return true;
        }
        // The new item wins only if strictly greater (smaller): the first of equals stays.
        const Truth better = ops::compare_bool(vm, item_key, best_key.get(), is_max ? CompareOp::Gt : CompareOp::Lt);
        if (better == Truth::Error) return false;
        if (better == Truth::True) {
            best.set(item);
            best_key.set(item_key);
        }
        return true;
    };
    if (args.positional_count() == 1) {
        if (!for_each_item(vm, args[0], consider)) return Value::null();
    } else {
        for (std::size_t i = 0; i < args.positional_count(); ++i)
            if (!consider(args[i])) return Value::null();
    }
    if (best.get().is_null()) {
        if (!fallback.is_null()) return fallback;
        return vm.raise_format(vm.types().value_error, "{}() arg is an empty sequence", name);
    }
    return best.get();
}

Value builtin_max(VM& vm, CallArgs args) { return min_max(vm, args, true); }
Value builtin_min(VM& vm, CallArgs args) { return min_max(vm, args, false); }

// sum(iterable, /, start=0)
Value builtin_sum(VM& vm, CallArgs args) {
    if (!check_keywords(vm, args, "sum", {"start"})) return Value::null();
    if (args.positional_count() == 0)
        return vm.raise(vm.types().type_error, "sum() takes at least 1 positional argument (0 given)");
    if (args.positional_count() > 2)
        return vm.raise_format(vm.types().type_error, "sum() takes at most 2 arguments ({} given)", args.count);
    Value start = args.positional_count() == 2 ? args[1] : keyword_argument(args, "start");
    if (start.is_null()) start = Value::from_small_int(0);
    if (is_str(vm, start))
        return vm.raise(vm.types().type_error, "sum() can't sum strings [use ''.join(seq) instead]");
    const Type* start_type = type_of(vm, start);
    if (start_type == vm.types().bytes)
        return vm.raise(vm.types().type_error, "sum() can't sum bytes [use b''.join(seq) instead]");
    if (start_type == vm.types().bytearray)
        return vm.raise(vm.types().type_error, "sum() can't sum bytearray [use b''.join(seq) instead]");
    Root total(vm, start);
    const bool ok = for_each_item(vm, args[0], [&](Value item) {
        const Value current = total.get();
        // Small ints and floats add without a trip through the generic operator.
        if (current.is_small_int() && item.is_small_int()) {
            total.set(int_from_int64(vm, current.as_small_int() + item.as_small_int()));
            return !total.get().is_null();
        }
        if (current.is_double() && item.is_double()) {
            total.set(Value::from_double(current.as_double() + item.as_double()));
            return true;
        }
        const Value next = ops::binary_op(vm, BinaryOp::Add, current, item);
        if (next.is_null()) return false;
        total.set(next);
        return true;
    });
    return ok ? total.get() : Value::null();
}

// any(iterable) and all(iterable): stop at the first item that decides.
Value any_all(VM& vm, CallArgs args, bool is_any) {
    if (!check_one_argument(vm, args, is_any ? "any" : "all")) return Value::null();
    bool result = !is_any;
    const bool ok = for_each_item(vm, args[0], [&](Value item) {
        const Truth t = ops::truthy(vm, item);
        if (t == Truth::Error) return false;
        if ((t == Truth::True) == is_any) {
            result = is_any;
            return false;
        }
        return true;
    });
    return ok ? Value::from_bool(result) : Value::null();
}

Value builtin_any(VM& vm, CallArgs args) { return any_all(vm, args, true); }
Value builtin_all(VM& vm, CallArgs args) { return any_all(vm, args, false); }

// ---------------------------------------------------------------- iter, next

// iter(object) or iter(callable, sentinel)
Value builtin_iter(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "iter") || !check_positional(vm, args, "iter", 1, 2)) return Value::null();
    if (args.positional_count() == 1) return ops::iter(vm, args[0]);
    const Type* type = type_of(vm, args[0]);
    const bool callable = type->call || type == vm.types().function || type == vm.types().native_function ||
                          type == vm.types().bound_method || type == vm.types().type;
    if (!callable) return vm.raise(vm.types().type_error, "iter(v, w): v must be callable");
    auto* it = vm.heap().allocate<CallableIterator>(vm.types().callable_iterator);
    it->callable = args[0];
    it->sentinel = args[1];
    return Value::from_object(it);
}

// next(iterator[, default])
Value builtin_next(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "next") || !check_positional(vm, args, "next", 1, 2)) return Value::null();
    const Type* type = type_of(vm, args[0]);
    if (!type->next && type_lookup(const_cast<Type*>(type), vm.names().next).is_null())
        return vm.raise_format(vm.types().type_error, "'{}' object is not an iterator", ops::type_name(vm, args[0]));
    // Call the slot directly so a generator's StopIteration(value) reaches the caller intact
    // (ops::next() swallows it); with a default, StopIteration is replaced by the default.
    const Value item = type->next ? type->next(vm, args[0]) : ops::next(vm, args[0]);
    if (!item.is_null()) return item;
    if (vm.has_exception()) {
        if (args.positional_count() == 2 && vm.exception_matches(vm.types().stop_iteration)) {
            vm.clear_exception();
            return args[1];
        }
        return item;
    }
    if (args.positional_count() == 2) return args[1];
    return vm.raise(vm.types().stop_iteration);
}

// ---------------------------------------------------------------- types and attributes

// exit(status=None) / quit(): the site builtins, raising SystemExit(status) like sys.exit.
Value builtin_exit(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "exit") || !check_positional(vm, args, "exit", 0, 1)) return Value::null();
    const Value exception = vm.call(Value::from_object(vm.types().system_exit), args.positional());
    if (exception.is_null()) return Value::null();
    return vm.raise_value(exception);
}

Value builtin_isinstance(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "isinstance") || !check_positional(vm, args, "isinstance", 2, 2))
        return Value::null();
    const Truth t = ops::isinstance(vm, args[0], args[1]);
    return t == Truth::Error ? Value::null() : Value::from_bool(t == Truth::True);
}

Value builtin_issubclass(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "issubclass") || !check_positional(vm, args, "issubclass", 2, 2))
        return Value::null();
    const Truth t = ops::issubclass(vm, args[0], args[1]);
    return t == Truth::Error ? Value::null() : Value::from_bool(t == Truth::True);
}

Value builtin_hash(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "hash")) return Value::null();
    std::int64_t hash = 0;
    if (!ops::hash(vm, args[0], hash)) return Value::null();
    return int_from_int64(vm, hash);
}

Value builtin_id(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "id")) return Value::null();
    // An object's address; inline values get a number derived from their bits (they have
    // no address, and equal inline values are the same value anyway).
    const Value v = args[0];
    const std::uint64_t bits = v.is_object() ? reinterpret_cast<std::uintptr_t>(v.as_object()) : v.bits();
    return int_from_int64(vm, static_cast<std::int64_t>(bits & 0x7FFF'FFFF'FFFF'FFFF));
}

Value builtin_callable(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "callable")) return Value::null();
    const Type* type = type_of(vm, args[0]);
    const bool callable = type->call || type == vm.types().function || type == vm.types().native_function ||
                          type == vm.types().bound_method ||
                          !type_lookup(const_cast<Type*>(type), vm.names().call).is_null();
    return Value::from_bool(callable);
}

// getattr(object, name[, default])
Value builtin_getattr(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "getattr") || !check_positional(vm, args, "getattr", 2, 3)) return Value::null();
    String* name = attribute_name(vm, args[1]);
    if (!name) return Value::null();
    if (args.positional_count() == 3) {
        const Value value = ops::getattr_optional(vm, args[0], name);
        if (value.is_null() && !vm.has_exception()) return args[2];
        return value;
    }
    return ops::getattr(vm, args[0], name);
}

Value builtin_setattr(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "setattr") || !check_positional(vm, args, "setattr", 3, 3)) return Value::null();
    String* name = attribute_name(vm, args[1]);
    if (!name) return Value::null();
    return ops::setattr(vm, args[0], name, args[2]) ? Value::none() : Value::null();
}

Value builtin_delattr(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "delattr") || !check_positional(vm, args, "delattr", 2, 2)) return Value::null();
    String* name = attribute_name(vm, args[1]);
    if (!name) return Value::null();
    return ops::delattr(vm, args[0], name) ? Value::none() : Value::null();
}

Value builtin_hasattr(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "hasattr") || !check_positional(vm, args, "hasattr", 2, 2)) return Value::null();
    String* name = attribute_name(vm, args[1]);
    if (!name) return Value::null();
    const Value value = ops::getattr_optional(vm, args[0], name);
    if (value.is_null() && vm.has_exception()) return Value::null();
    return Value::from_bool(!value.is_null());
}

Value builtin_repr(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "repr")) return Value::null();
    String* text = ops::repr(vm, args[0]);
    return text ? Value::from_object(text) : Value::null();
}

// ---------------------------------------------------------------- namespaces

// The frame of the asy code that called the builtin.
Frame* caller_frame(VM& vm) { return vm.frames.empty() ? nullptr : vm.frames.back(); }

// locals(): the namespace of the running code. In a function, a snapshot dict of its
// variables (as CPython's, changing it does not change the variables).
Value builtin_locals(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "locals")) return Value::null();
    Frame* frame = caller_frame(vm);
    if (!frame) return Value::from_object(new_dict(vm));
    if (frame->locals) return Value::from_object(frame->locals);
    Root result(vm, new_dict(vm));
    const Code* code = frame->code;
    for (std::size_t i = 0; i < code->varnames.size(); ++i) {
        const Value value = frame->slots[i];
        if (!value.is_null()) dict_set_str(vm, result.as<Dict>(), code->varnames[i], value);
    }
    // Cells hold captured variables; an empty cell is an unbound variable.
    for (std::size_t i = 0; i < code->cell_names.size(); ++i) {
        const Value cell = frame->slots[code->varnames.size() + i];
        if (!cell.is_object() || cell.as_object()->type != vm.types().cell) continue;
        const Value value = static_cast<Cell*>(cell.as_object())->value;
        if (!value.is_null()) dict_set_str(vm, result.as<Dict>(), code->cell_names[i], value);
    }
    return result.get();
}

Value builtin_globals(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "globals")) return Value::null();
    Frame* frame = caller_frame(vm);
    if (!frame || !frame->globals) return Value::from_object(new_dict(vm));
    return Value::from_object(frame->globals);
}

// vars([object]): object.__dict__, or locals().
Value builtin_vars(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "vars") || !check_positional(vm, args, "vars", 0, 1)) return Value::null();
    if (args.positional_count() == 0) return builtin_locals(vm, CallArgs());
    const Value dict = ops::getattr_optional(vm, args[0], vm.names().dict);
    if (dict.is_null()) {
        if (vm.has_exception()) return Value::null();
        return vm.raise(vm.types().type_error, "vars() argument must have __dict__ attribute");
    }
    return dict;
}

// Adds the str keys of a namespace dict to `names`.
void add_names(VM& vm, Dict* dict, std::vector<std::string>& names) {
    if (!dict) return;
    for (const DictEntry& entry : dict->entries)
        if (auto* name = as_instance<String>(entry.key, vm.types().str)) names.push_back(name->utf8);
}

// dir([object]): the sorted attribute names (instance dict, then its class and bases).
Value builtin_dir(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "dir") || !check_positional(vm, args, "dir", 0, 1)) return Value::null();
    std::vector<std::string> names;
    if (args.positional_count() == 0) {
        Root scope(vm, builtin_locals(vm, CallArgs()));
        if (scope.get().is_null()) return Value::null();
        add_names(vm, scope.as<Dict>(), names);
    } else {
        const Value object = args[0];
        // A user __dir__ decides for itself.
        const Value custom = type_lookup(type_of(vm, object), vm.intern("__dir__"));
        if (!custom.is_null() && !is_subtype(type_of(vm, object), vm.types().module) &&
            (type_of(vm, object)->flags & TypeFlagHeap)) {
            const Value call_args[] = {object};
            Root result(vm, vm.call(custom, call_args));
            if (result.get().is_null()) return Value::null();
            Root list(vm, new_list(vm));
            if (!collect_items(vm, result.get(), list.as<List>()->items)) return Value::null();
            if (sort_list(vm, list.as<List>(), Value::null(), false).is_null()) return Value::null();
            return list.get();
        }
        if (auto* module = as_instance<Module>(object, vm.types().module)) {
            add_names(vm, module->dict, names);
        } else {
            const Value dict = ops::getattr_optional(vm, object, vm.names().dict);
            if (dict.is_null() && vm.has_exception()) vm.clear_exception();
            if (auto* d = as_instance<Dict>(dict, vm.types().dict)) add_names(vm, d, names);
            // For a class, its own MRO; for an instance, its class's.
            Type* type = is_subtype(type_of(vm, object), vm.types().type) ? static_cast<Type*>(object.as_object())
                                                                           : type_of(vm, object);
            for (Type* base : type->mro) add_names(vm, base->dict, names);
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::vector<Value> items;
    RootVector keep(vm, items);
    for (std::string& name : names) items.push_back(make_str(vm, std::move(name)));
    return Value::from_object(new_list(vm, std::move(items)));
}

}  // namespace

void init_builtin_functions(VM& vm) {
    define_builtin(vm, "print", builtin_print);
    define_builtin(vm, "input", builtin_input);
    define_builtin(vm, "len", builtin_len);
    define_builtin(vm, "sorted", builtin_sorted);
    define_builtin(vm, "min", builtin_min);
    define_builtin(vm, "max", builtin_max);
    define_builtin(vm, "sum", builtin_sum);
    define_builtin(vm, "any", builtin_any);
    define_builtin(vm, "all", builtin_all);
    define_builtin(vm, "iter", builtin_iter);
    define_builtin(vm, "next", builtin_next);
    define_builtin(vm, "exit", builtin_exit);
    define_builtin(vm, "quit", builtin_exit);
    define_builtin(vm, "isinstance", builtin_isinstance);
    define_builtin(vm, "issubclass", builtin_issubclass);
    define_builtin(vm, "hash", builtin_hash);
    define_builtin(vm, "id", builtin_id);
    define_builtin(vm, "callable", builtin_callable);
    define_builtin(vm, "getattr", builtin_getattr);
    define_builtin(vm, "setattr", builtin_setattr);
    define_builtin(vm, "delattr", builtin_delattr);
    define_builtin(vm, "hasattr", builtin_hasattr);
    define_builtin(vm, "repr", builtin_repr);
    define_builtin(vm, "locals", builtin_locals);
    define_builtin(vm, "globals", builtin_globals);
    define_builtin(vm, "vars", builtin_vars);
    define_builtin(vm, "dir", builtin_dir);
}

void init_containers_and_builtins(VM& vm) {
    init_list_type(vm);
    init_tuple_type(vm);
    init_dict_type(vm);
    init_set_types(vm);
    init_range_type(vm);
    init_slice_type(vm);
    init_iterator_types(vm);
    init_file_type(vm);
    init_builtin_functions(vm);
    vm.register_native_module("sys", init_sys_module);
    vm.register_native_module("json", init_json_module);
    vm.register_native_module("time", init_time_module);
    vm.register_native_module("random", init_random_module);
}

}  // namespace asy
