// OSError's attributes and text, as CPython 3.11 gives them: OSError(errno, strerror[,
// filename]) has .errno, .strerror and .filename, and reads "[Errno 111] Connection refused"
// (with ": 'name'" after it when there is a filename). The streams and subprocesses raise
// such errors (runtime/streams.cpp), and programs look at e.errno.

#include "runtime/streams.hpp"

#include "runtime/objects/exception.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm.hpp"

#include <string>

namespace asy {

namespace {

// The constructor's arguments when they carry an errno: 2 to 5 of them, as in CPython.
const Tuple* errno_arguments(Value self)
{
    const Tuple* args = static_cast<BaseExceptionObject*>(self.as_object())->args;
    if (args == nullptr || args->items.size() < 2 || args->items.size() > 5)
        return nullptr;
    return args;
}

Value argument_or_none(Value self, std::size_t index)
{
    const Tuple* args = errno_arguments(self);
    if (args == nullptr || index >= args->items.size())
        return Value::none();
    return args->items[index];
}

Value os_error_errno(VM&, CallArgs args)
{
    return argument_or_none(args[0], 0);
}

Value os_error_strerror(VM&, CallArgs args)
{
    return argument_or_none(args[0], 1);
}

Value os_error_filename(VM&, CallArgs args)
{
    return argument_or_none(args[0], 2);
}

// str(e): "[Errno N] text", "[Errno N] text: 'filename'", else BaseException's rule.
String* os_error_str(VM& vm, Value self)
{
    const Tuple* args = errno_arguments(self);
    if (args == nullptr)
        return ops::exception_str(vm, self);
    String* code = ops::str(vm, args->items[0]);
    if (code == nullptr)
        return nullptr;
    std::string text = "[Errno " + std::string(code->view()) + "] ";
    String* message = ops::str(vm, args->items[1]);
    if (message == nullptr)
        return nullptr;
    text += message->view();
    if (args->items.size() >= 3 && !args->items[2].is_none()) {
        String* filename = ops::repr(vm, args->items[2]);
        if (filename == nullptr)
            return nullptr;
        text += ": " + std::string(filename->view());
    }
    return new_string(vm, text);
}

Value os_error_str_method(VM& vm, CallArgs args)
{
    String* text = os_error_str(vm, args[0]);
    return text ? Value::from_object(text) : Value::null();
}

}  // namespace

void init_os_error_attributes(VM& vm)
{
    Type* os_error = vm.types().os_error;
    define_property(vm, os_error, "errno", os_error_errno);
    define_property(vm, os_error, "strerror", os_error_strerror);
    define_property(vm, os_error, "filename", os_error_filename);
    define_method(vm, os_error, "__str__", os_error_str_method);
    // The builtin subclasses copied their slots when they were made, so each gets it too.
#define EXCEPTION(field, name, base)                              \
    if (is_subtype(vm.types().field, os_error))                   \
        vm.types().field->str = os_error_str;
#include "runtime/exception_types.def"
#undef EXCEPTION
}

}  // namespace asy
