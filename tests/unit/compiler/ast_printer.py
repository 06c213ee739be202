# Prints CPython's AST in the compact form of ast_printer.hpp, so the parser tests' expected
# strings can be checked against CPython 3.11:  python3 ast_printer.py 'x = 1 + 2'
import ast
import sys

BIN = {ast.Add: "Add", ast.Sub: "Sub", ast.Mult: "Mult", ast.MatMult: "MatMult", ast.Div: "Div",
       ast.FloorDiv: "FloorDiv", ast.Mod: "Mod", ast.Pow: "Pow", ast.LShift: "LShift", ast.RShift: "RShift",
       ast.BitOr: "BitOr", ast.BitXor: "BitXor", ast.BitAnd: "BitAnd"}
UN = {ast.Invert: "Invert", ast.Not: "Not", ast.UAdd: "UAdd", ast.USub: "USub"}
CMP = {ast.Eq: "Eq", ast.NotEq: "NotEq", ast.Lt: "Lt", ast.LtE: "LtE", ast.Gt: "Gt", ast.GtE: "GtE",
       ast.Is: "Is", ast.IsNot: "IsNot", ast.In: "In", ast.NotIn: "NotIn"}


def quote(data, prefix):
    out = prefix + "'"
    for c in data:
        if c in (0x27, 0x5C):
            out += "\\" + chr(c)
        elif c == 10:
            out += "\\n"
        elif c == 9:
            out += "\\t"
        elif c < 0x20 or c == 0x7F or (prefix == "b" and c >= 0x80):
            out += "\\x%02x" % c
        else:
            out += chr(c)
    if prefix == "":
        out = out.encode("latin-1").decode("utf-8")
    return out + "'"


def const(v):
    if v is None: return "None"
    if v is ...: return "Ellipsis"
    if v is True: return "True"
    if v is False: return "False"
    if isinstance(v, int): return str(v)
    if isinstance(v, float): return "%.17g" % v + "f"
    if isinstance(v, str): return quote(v.encode("utf-8"), "")
    if isinstance(v, bytes): return quote(v, "b")
    return "?"


def lst(items):
    return "".join(" " + e(i) for i in items)


def gens(gs):
    out = ""
    for g in gs:
        out += (" (async for " if g.is_async else " (for ") + e(g.target) + " in " + e(g.iter)
        for c in g.ifs:
            out += " if " + e(c)
        out += ")"
    return out


def arg(a):
    return a.arg + (":" + e(a.annotation) if a.annotation else "")


def args(a):
    out = "(args"
    if a.posonlyargs:
        out += " po(" + " ".join(arg(x) for x in a.posonlyargs) + ")"
    for x in a.args: out += " " + arg(x)
    if a.vararg: out += " *" + arg(a.vararg)
    for x in a.kwonlyargs: out += " kw:" + arg(x)
    if a.kwarg: out += " **" + arg(a.kwarg)
    if a.defaults: out += " defaults(" + lst(a.defaults)[1:] + ")"
    if a.kw_defaults: out += " kw_defaults(" + lst(a.kw_defaults)[1:] + ")"
    return out + ")"


def kw(k):
    return (k.arg + "=" if k.arg else "**") + e(k.value)


def e(x):
    if x is None: return "_"
    t = type(x)
    if t is ast.Name: return x.id
    if t is ast.Constant: return const(x.value)
    if t is ast.BinOp: return "(%s %s %s)" % (BIN[type(x.op)], e(x.left), e(x.right))
    if t is ast.UnaryOp: return "(%s %s)" % (UN[type(x.op)], e(x.operand))
    if t is ast.BoolOp: return "(%s%s)" % ("And" if isinstance(x.op, ast.And) else "Or", lst(x.values))
    if t is ast.Compare:
        return "(Compare " + e(x.left) + "".join(" %s %s" % (CMP[type(o)], e(c)) for o, c in zip(x.ops, x.comparators)) + ")"
    if t is ast.Call: return "(Call " + e(x.func) + lst(x.args) + "".join(" " + kw(k) for k in x.keywords) + ")"
    if t is ast.Attribute: return "(. %s %s)" % (e(x.value), x.attr)
    if t is ast.Subscript: return "([] %s %s)" % (e(x.value), e(x.slice))
    if t is ast.Slice: return "(Slice %s %s %s)" % (e(x.lower), e(x.upper), e(x.step))
    if t is ast.Starred: return "(* %s)" % e(x.value)
    if t is ast.Tuple: return "(Tuple" + lst(x.elts) + ")"
    if t is ast.List: return "(List" + lst(x.elts) + ")"
    if t is ast.Set: return "(Set" + lst(x.elts) + ")"
    if t is ast.Dict:
        return "(Dict" + "".join((" " + e(k) + ":" if k is not None else " **") + e(v) for k, v in zip(x.keys, x.values)) + ")"
    if t is ast.ListComp: return "(ListComp " + e(x.elt) + gens(x.generators) + ")"
    if t is ast.SetComp: return "(SetComp " + e(x.elt) + gens(x.generators) + ")"
    if t is ast.GeneratorExp: return "(GeneratorExp " + e(x.elt) + gens(x.generators) + ")"
    if t is ast.DictComp: return "(DictComp " + e(x.key) + ":" + e(x.value) + gens(x.generators) + ")"
    if t is ast.Lambda: return "(Lambda %s %s)" % (args(x.args), e(x.body))
    if t is ast.IfExp: return "(IfExp %s %s %s)" % (e(x.test), e(x.body), e(x.orelse))
    if t is ast.NamedExpr: return "(:= %s %s)" % (e(x.target), e(x.value))
    if t is ast.Await: return "(Await %s)" % e(x.value)
    if t is ast.Yield: return "(Yield %s)" % e(x.value)
    if t is ast.YieldFrom: return "(YieldFrom %s)" % e(x.value)
    if t is ast.JoinedStr: return "(f" + lst(x.values) + ")"
    if t is ast.FormattedValue:
        out = "(fv " + e(x.value)
        if x.conversion != -1: out += " !" + chr(x.conversion)
        if x.format_spec: out += " :" + e(x.format_spec)
        return out + ")"
    return "?" + t.__name__


def body(b):
    return "[" + " ".join(s(x) for x in b) + "]"


def aliases(names):
    return "".join(" " + a.name + (" as " + a.asname if a.asname else "") for a in names)


def s(x):
    t = type(x)
    if t is ast.Expr: return e(x.value)
    if t is ast.Pass: return "(Pass)"
    if t is ast.Break: return "(Break)"
    if t is ast.Continue: return "(Continue)"
    if t is ast.Assign: return "(Assign [" + lst(x.targets)[1:] + "] " + e(x.value) + ")"
    if t is ast.AugAssign: return "(AugAssign %s %s %s)" % (e(x.target), BIN[type(x.op)], e(x.value))
    if t is ast.AnnAssign:
        return "(AnnAssign %s %s %s%s)" % (e(x.target), e(x.annotation), e(x.value), "" if x.simple else " notsimple")
    if t is ast.Delete: return "(Delete" + lst(x.targets) + ")"
    if t is ast.Return: return "(Return %s)" % e(x.value)
    if t is ast.Raise: return "(Raise %s %s)" % (e(x.exc), e(x.cause))
    if t is ast.Assert: return "(Assert %s %s)" % (e(x.test), e(x.msg))
    if t is ast.Global: return "(Global" + "".join(" " + n for n in x.names) + ")"
    if t is ast.Nonlocal: return "(Nonlocal" + "".join(" " + n for n in x.names) + ")"
    if t is ast.Import: return "(Import" + aliases(x.names) + ")"
    if t is ast.ImportFrom: return "(ImportFrom " + "." * x.level + (x.module or "") + aliases(x.names) + ")"
    if t is ast.If: return "(If %s %s %s)" % (e(x.test), body(x.body), body(x.orelse))
    if t is ast.While: return "(While %s %s %s)" % (e(x.test), body(x.body), body(x.orelse))
    if t in (ast.For, ast.AsyncFor):
        return "(%s %s %s %s %s)" % ("AsyncFor" if t is ast.AsyncFor else "For", e(x.target), e(x.iter), body(x.body), body(x.orelse))
    if t in (ast.With, ast.AsyncWith):
        out = "(AsyncWith" if t is ast.AsyncWith else "(With"
        for i in x.items:
            out += " " + e(i.context_expr)
            if i.optional_vars: out += " as " + e(i.optional_vars)
        return out + " " + body(x.body) + ")"
    if t in (ast.Try, ast.TryStar):
        out = ("(TryStar " if t is ast.TryStar else "(Try ") + body(x.body)
        for h in x.handlers:
            out += " (except " + e(h.type) + (" as " + h.name if h.name else "") + " " + body(h.body) + ")"
        return out + " " + body(x.orelse) + " " + body(x.finalbody) + ")"
    if t in (ast.FunctionDef, ast.AsyncFunctionDef):
        out = ("(AsyncFunctionDef " if t is ast.AsyncFunctionDef else "(FunctionDef ") + x.name + " " + args(x.args) + " " + body(x.body)
        if x.decorator_list: out += " @[" + lst(x.decorator_list)[1:] + "]"
        if x.returns: out += " -> " + e(x.returns)
        return out + ")"
    if t is ast.ClassDef:
        out = "(ClassDef " + x.name + " [" + lst(x.bases)[1:] + "".join(" " + kw(k) for k in x.keywords) + "] " + body(x.body)
        if x.decorator_list: out += " @[" + lst(x.decorator_list)[1:] + "]"
        return out + ")"
    return "?" + t.__name__


def module(src):
    return "".join(s(x) + "\n" for x in ast.parse(src).body)


if __name__ == "__main__":
    sys.stdout.write(module(sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()))
