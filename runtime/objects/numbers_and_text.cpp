// init_numbers_and_text (builtin_init.hpp): fills in the int, bool, float, str, bytes and
// bytearray types, registers the math module, and defines the builtin functions that belong
// to numbers and text: abs, round, divmod, pow, hex, oct, bin, chr, ord, format, ascii.
#include "runtime/builtin_init.hpp"
#include "runtime/objects/bytes.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/numbers.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/ops.hpp"
#include "runtime/text/utf8.hpp"
#include "runtime/vm.hpp"

#include <cmath>

namespace asy {

namespace {

// The int value of an int or an object with __index__, or null after raising
// "'float' object cannot be interpreted as an integer".
Value index_of(VM& vm, Value value) {
    if (is_int(vm, value)) return value;
    bool found = false;
    Value result = call_dunder_method(vm, value, vm.names().index, found);
    if (found) {
        if (result.is_null() || is_int(vm, result)) return result;
        return vm.raise_format(vm.types().type_error, "__index__ returned non-int (type {})", ops::type_name(vm, result));
    }
    return vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, value));
}

// abs(x)
Value builtin_abs(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "abs")) return Value::null();
    Value x = args[0];
    if (x.is_double()) return Value::from_double(std::fabs(x.as_double()));
    if (is_int(vm, x)) {
        numeric::BigInt value = int_to_big(x);
        return int_from_big(vm, value.absolute());
    }
    bool found = false;
    Value result = call_dunder_method(vm, x, vm.names().abs, found);
    if (found) return result;
    return vm.raise_format(vm.types().type_error, "bad operand type for abs(): '{}'", ops::type_name(vm, x));
}

// round(number, ndigits=None): number.__round__(ndigits).
Value builtin_round(VM& vm, CallArgs args) {
    static const Signature signature{"round", {"number", "ndigits"}, 0, 1};
    Value bound[2];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    Value x = bound[0];
    Type* type = type_of(vm, x);
    Value method = type_lookup(type, vm.names().round);
    if (method.is_null()) {
        return vm.raise_format(vm.types().type_error, "type {} doesn't define __round__ method", ops::type_name(vm, x));
    }
    Value call_args[] = {x, bound[1]};
    return vm.call(method, std::span<const Value>(call_args, bound[1].is_null() ? 1 : 2));
}

// divmod(a, b)
Value builtin_divmod(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "divmod") || !check_positional(vm, args, "divmod", 2, 2)) return Value::null();
    Value a = args[0], b = args[1];
    bool a_int = is_int(vm, a), b_int = is_int(vm, b);
    if (a_int && b_int) return int_divmod(vm, a, b);
    if ((a_int || a.is_double()) && (b_int || b.is_double())) return float_divmod_values(vm, a, b);
    // User classes: __divmod__, then the reflected __rdivmod__.
    bool found = false;
    if (a.is_object()) {
        Value method = type_lookup(a.as_object()->type, vm.intern("__divmod__"));
        if (!method.is_null()) {
            found = true;
            Value call_args[] = {a, b};
            Value result = vm.call(method, call_args);
            if (result.is_null() || !result.is(vm.not_implemented())) return result;
        }
    }
    if (b.is_object()) {
        Value method = type_lookup(b.as_object()->type, vm.intern("__rdivmod__"));
        if (!method.is_null()) {
            Value call_args[] = {b, a};
            Value result = vm.call(method, call_args);
            if (result.is_null() || !result.is(vm.not_implemented())) return result;
        }
    }
    (void)found;
    return vm.raise_format(vm.types().type_error, "unsupported operand type(s) for divmod(): '{}' and '{}'",
                           ops::type_name(vm, a), ops::type_name(vm, b));
}

// pow(base, exp, mod=None)
Value builtin_pow(VM& vm, CallArgs args) {
    static const Signature signature{"pow", {"base", "exp", "mod"}, 0, 2};
    Value bound[3];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    if (bound[2].is_null() || bound[2].is_none()) return ops::binary_op(vm, BinaryOp::Power, bound[0], bound[1]);
    if (!is_int(vm, bound[0]) || !is_int(vm, bound[1]) || !is_int(vm, bound[2])) {
        return vm.raise(vm.types().type_error, "pow() 3rd argument not allowed unless all arguments are integers");
    }
    return int_pow_mod(vm, bound[0], bound[1], bound[2]);
}

// hex(x), oct(x), bin(x): '-0x1f' style.
template <int base>
Value builtin_base(VM& vm, CallArgs args) {
    constexpr const char* name = base == 16 ? "hex" : base == 8 ? "oct" : "bin";
    if (!check_one_argument(vm, args, name)) return Value::null();
    Value value = index_of(vm, args[0]);
    if (value.is_null()) return value;
    numeric::BigInt n = int_to_big(value);
    std::string digits = n.absolute().to_string(base);
    std::string out = n.sign() < 0 ? "-" : "";
    out += base == 16 ? "0x" : base == 8 ? "0o" : "0b";
    out += digits;
    return string_value(vm, out);
}

// chr(i)
Value builtin_chr(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "chr")) return Value::null();
    Value value = index_of(vm, args[0]);
    if (value.is_null()) return value;
    std::int64_t code = 0;
    if (!int_fits_int64(value, code) || code < INT32_MIN || code > INT32_MAX) {
        return vm.raise(vm.types().overflow_error, "Python int too large to convert to C int");
    }
    if (code < 0 || code > 0x10FFFF) return vm.raise(vm.types().value_error, "chr() arg not in range(0x110000)");
    if (code >= 0xD800 && code <= 0xDFFF) {
        return vm.raise(vm.types().value_error, "asy does not support surrogate code points (chr(0xd800)..chr(0xdfff))");
    }
    return string_value(vm, text::encode_utf8(static_cast<char32_t>(code)));
}

// ord(c)
Value builtin_ord(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "ord")) return Value::null();
    Value c = args[0];
    if (auto* s = as_instance<String>(c, vm.types().str)) {
        if (s->length != 1) {
            return vm.raise_format(vm.types().type_error, "ord() expected a character, but string of length {} found", s->length);
        }
        std::size_t pos = 0;
        return Value::from_small_int(text::decode_next(s->utf8, pos));
    }
    if (c.is_object() && (c.as_object()->type == vm.types().bytes || c.as_object()->type == vm.types().bytearray)) {
        auto* b = static_cast<Bytes*>(c.as_object());
        if (b->data.size() != 1) {
            return vm.raise_format(vm.types().type_error, "ord() expected a character, but string of length {} found",
                                   b->data.size());
        }
        return Value::from_small_int(static_cast<unsigned char>(b->data[0]));
    }
    return vm.raise_format(vm.types().type_error, "ord() expected string of length 1, but {} found", ops::type_name(vm, c));
}

// format(value, format_spec='')
Value builtin_format(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "format") || !check_positional(vm, args, "format", 1, 2)) return Value::null();
    String* spec = vm.intern("");
    if (args.positional_count() > 1) {
        spec = as_instance<String>(args[1], vm.types().str);
        if (!spec) {
            return vm.raise_format(vm.types().type_error, "format() argument 2 must be str, not {}", ops::type_name(vm, args[1]));
        }
    }
    String* result = ops::format(vm, args[0], spec);
    return result ? Value::from_object(result) : Value::null();
}

// ascii(obj): repr(obj) with every non-ASCII character escaped.
Value builtin_ascii(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "ascii")) return Value::null();
    String* r = ops::repr(vm, args[0]);
    if (!r) return Value::null();
    if (r->is_ascii) return Value::from_object(r);
    return string_value(vm, text::escape_non_ascii(r->utf8));
}

}  // namespace

void init_number_builtins(VM& vm) {
    define_builtin(vm, "abs", builtin_abs);
    define_builtin(vm, "round", builtin_round);
    define_builtin(vm, "divmod", builtin_divmod);
    define_builtin(vm, "pow", builtin_pow);
    define_builtin(vm, "hex", builtin_base<16>);
    define_builtin(vm, "oct", builtin_base<8>);
    define_builtin(vm, "bin", builtin_base<2>);
    define_builtin(vm, "chr", builtin_chr);
    define_builtin(vm, "ord", builtin_ord);
    define_builtin(vm, "format", builtin_format);
    define_builtin(vm, "ascii", builtin_ascii);
}

void init_numbers_and_text(VM& vm) {
    init_int_type(vm);
    init_float_type(vm);
    init_str_type(vm);
    init_bytes_types(vm);
    BuiltinTypes& types = vm.types();
    define_number_dunders(vm, types.int_, true);
    define_number_dunders(vm, types.bool_, true);
    define_number_dunders(vm, types.float_, false);
    for (Type* type : {types.str, types.bytes, types.bytearray}) define_sequence_dunders(vm, type);
    init_number_builtins(vm);
    init_math_module(vm);
}

}  // namespace asy
