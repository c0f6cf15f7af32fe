"""The source transformation behind AutoGraph.

A converted function is the original's AST with:

1. ``break``/``continue`` (per loop) and ``return`` (per function, when one sits inside
   an ``if``/``for``/``while``) lowered to flag variables, the statements after them
   guarded by ``if not flag:``, and loop ``else`` clauses moved after the loop;
2. every ``if``/``while``/``for`` replaced by local functions (the branches or the body,
   plus ``get_state``/``set_state`` closures over the variables they assign, declared
   ``nonlocal``) and a call of ``ag__.if_stmt``/``while_stmt``/``for_stmt``, which decide
   at run time between plain Python and graph control flow;
3. ``and``/``or``/``not``/``x if c else y`` routed through ``ag__`` (tensor-aware), calls
   through ``ag__.converted_call`` (which converts user functions recursively), and
   loads of variables that may still be undefined through ``ag__.ld``.

Liveness is approximated conservatively from the source text: a variable is live after a
statement if it is read later in the function, in an enclosing loop's next iteration, or
in any nested function.
"""

from __future__ import annotations

import ast
import itertools

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# Calls that must stay direct: they inspect the calling frame.
_DIRECT_CALLS = {"super", "locals", "globals", "vars", "eval", "exec", "dir"}
DO_RETURN, RETVAL = "ag__do_return", "ag__retval"


# -- analysis ---------------------------------------------------------------------


def _walk(node, into_scopes: bool = False):
    """``ast.walk`` that does not enter nested functions, classes or lambdas (unless asked)."""
    stack = list(node) if isinstance(node, list) else [node]
    while stack:
        n = stack.pop()
        yield n
        for child in ast.iter_child_nodes(n):
            if into_scopes or not isinstance(child, _SCOPES + _COMPREHENSIONS):
                stack.append(child)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield child  # its name is bound here; its body is another scope


def assigned(nodes) -> set:
    """Names bound by ``nodes`` in their own scope."""
    out = set()
    for n in _walk(nodes):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in n.names)
    return out


def loads(nodes) -> set:
    """Names read anywhere in ``nodes``, nested scopes included (``x += 1`` reads x)."""
    out = set()
    for n in _walk(nodes, into_scopes=True):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            out.add(n.id)
        elif isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name):
            out.add(n.target.id)
    return out


def _contains(nodes, kinds) -> bool:
    return any(isinstance(n, kinds) for n in _walk(nodes))


def _definitely_assigned(stmt) -> set:
    if isinstance(
        stmt,
        (
            ast.Assign,
            ast.AnnAssign,
            ast.AugAssign,
            ast.Import,
            ast.ImportFrom,
            ast.FunctionDef,
            ast.ClassDef,
        ),
    ):
        return assigned(stmt)
    if isinstance(stmt, ast.If):
        return _block_assigned(stmt.body) & _block_assigned(stmt.orelse)
    return set()


def _block_assigned(stmts) -> set:
    out = set()
    for s in stmts:
        out |= _definitely_assigned(s)
    return out


def live_into_body(loop, prefix=()) -> set:
    """Names a loop iteration may read before assigning them (the loop-carried ones)."""
    live = loads(list(prefix))
    defined = assigned(loop.target) if isinstance(loop, ast.For) else set()
    if isinstance(loop, ast.While):
        live |= loads(loop.test)
    for s in loop.body:
        live |= loads(s) - defined
        defined |= _definitely_assigned(s)
    return live


def always_returns(stmts) -> bool:
    for s in stmts:
        if isinstance(s, (ast.Return, ast.Raise)):
            return True
        if isinstance(s, ast.If) and always_returns(s.body) and always_returns(s.orelse):
            return True
    return False


# -- AST construction helpers -------------------------------------------------------


def _name(id_: str, store: bool = False) -> ast.Name:
    return ast.Name(id=id_, ctx=ast.Store() if store else ast.Load())


def _ag(attr: str) -> ast.Attribute:
    return ast.Attribute(value=_name("ag__"), attr=attr, ctx=ast.Load())


def _call(func, *args) -> ast.Call:
    return ast.Call(func=func, args=list(args), keywords=[])


def _assign(id_: str, value) -> ast.Assign:
    return ast.Assign(targets=[_name(id_, store=True)], value=value)


def _not(id_: str):
    return ast.UnaryOp(op=ast.Not(), operand=_name(id_))


def _const(value):
    return ast.Constant(value=value)


def _def(name: str, args, body, declare=(), globals_=()) -> ast.FunctionDef:
    decls = []
    if declare:
        decls.append(ast.Nonlocal(names=sorted(declare)))
    if globals_:
        decls.append(ast.Global(names=sorted(globals_)))
    node = ast.FunctionDef(
        name=name,
        args=ast.arguments(
            posonlyargs=[],
            args=[ast.arg(arg=a) for a in args],
            vararg=None,
            kwonlyargs=[],
            kw_defaults=[],
            kwarg=None,
            defaults=[],
        ),
        body=decls + (body or [ast.Pass()]),
        decorator_list=[],
        returns=None,
    )
    if "type_params" in ast.FunctionDef._fields:
        node.type_params = []
    return node


def _lambda(expr) -> ast.Lambda:
    return ast.Lambda(
        args=ast.arguments(
            posonlyargs=[],
            args=[],
            vararg=None,
            kwonlyargs=[],
            kw_defaults=[],
            kwarg=None,
            defaults=[],
        ),
        body=expr,
    )


# -- lowering of break / continue / return ------------------------------------------


class _Lowering:
    """Rewrites jumps into flag assignments (plain Python; semantics unchanged)."""

    def __init__(self, counter):
        self._counter = counter

    def block(self, stmts):
        out = []
        for s in stmts:
            out.extend(self._stmt(s))
        return out

    def _children(self, s):
        for field in ("body", "orelse", "finalbody"):
            if isinstance(getattr(s, field, None), list):
                setattr(s, field, self.block(getattr(s, field)))
        for h in getattr(s, "handlers", ()):
            h.body = self.block(h.body)

    def _stmt(self, s):
        if isinstance(s, _SCOPES) or isinstance(s, getattr(ast, "Match", ())):
            return [s]
        self._children(s)
        if not isinstance(s, (ast.For, ast.While)):
            return [s]
        n = next(self._counter)
        pre, post = [], s.orelse
        s.orelse = []
        if _contains(s.body, ast.Continue):
            flag = f"ag__continue_{n}"
            s.body = [_assign(flag, _const(False))] + _guard(s.body, ast.Continue, flag)
        if _contains(s.body, ast.Break):
            flag = f"ag__break_{n}"
            pre = [_assign(flag, _const(False))]
            s.body = _guard(s.body, ast.Break, flag)
            _add_loop_test(s, flag)
            post = [ast.If(test=_not(flag), body=post, orelse=[])] if post else []
        return pre + [s] + post


def _add_loop_test(loop, flag: str) -> None:
    """Makes ``loop`` stop once ``flag`` is set (checked before each iteration)."""
    if isinstance(loop, ast.While):
        loop.test = ast.BoolOp(op=ast.And(), values=[_not(flag), loop.test])
    else:
        loop.ag_extra_tests = [_not(flag)] + getattr(loop, "ag_extra_tests", [])


def _guard(stmts, jump, flag: str):
    """Replaces ``jump`` statements by ``flag = True``; what follows runs only if not flag."""
    out = []
    for k, s in enumerate(stmts):
        if isinstance(s, jump):
            out.append(_assign(flag, _const(True)))
            return out
        if isinstance(s, (ast.For, ast.While) + _SCOPES) or not _contains(s, jump):
            out.append(s)
            continue
        for field in ("body", "orelse", "finalbody"):
            if isinstance(getattr(s, field, None), list):
                setattr(s, field, _guard(getattr(s, field), jump, flag))
        for h in getattr(s, "handlers", ()):
            h.body = _guard(h.body, jump, flag)
        out.append(s)
        rest = stmts[k + 1 :]
        if rest:
            out.append(ast.If(test=_not(flag), body=_guard(rest, jump, flag), orelse=[]))
        return out
    return out


def lower_returns(body):
    """Lowers ``return`` when one sits inside ``if``/``for``/``while``; else ``None``."""
    nested = any(
        isinstance(n, (ast.If, ast.For, ast.While)) and _contains(n.body + n.orelse, ast.Return)
        for n in _walk(body)
    )
    if not nested:
        return None
    falls_off = not always_returns(body)
    init = [
        _assign(DO_RETURN, _const(False)),
        _assign(RETVAL, _call(_ag("Undefined"), _const(RETVAL))),
    ]
    final = ast.Return(
        value=_call(_ag("retval"), _name(RETVAL), _name(DO_RETURN), _const(falls_off))
    )
    return init + _lower_return_block(body) + [final]


def _lower_return_block(stmts):
    out = []
    for k, s in enumerate(stmts):
        if isinstance(s, ast.Return):
            out += [
                _assign(DO_RETURN, _const(True)),
                _assign(RETVAL, s.value if s.value is not None else _const(None)),
            ]
            return out
        if isinstance(s, _SCOPES) or not _contains(s, ast.Return):
            out.append(s)
            continue
        rest = list(stmts[k + 1 :])
        if isinstance(s, ast.If) and rest:
            # `if c: ...; return a` followed by more code: the rest is the else branch, so
            # both branches define the return value.
            if always_returns(s.body):
                s.orelse, rest = s.orelse + rest, []
            elif always_returns(s.orelse):
                s.body, rest = s.body + rest, []
        for field in ("body", "orelse", "finalbody"):
            if isinstance(getattr(s, field, None), list):
                setattr(s, field, _lower_return_block(getattr(s, field)))
        for h in getattr(s, "handlers", ()):
            h.body = _lower_return_block(h.body)
        if isinstance(s, (ast.For, ast.While)):
            _add_loop_test(s, DO_RETURN)
        out.append(s)
        if rest:
            out.append(ast.If(test=_not(DO_RETURN), body=_lower_return_block(rest), orelse=[]))
        return out
    return out


# -- conversion of control flow ---------------------------------------------------------


class _Expressions(ast.NodeTransformer):
    """Rewrites one expression: boolean operators, conditional expressions, calls, loads."""

    def __init__(self, tracked: set):
        self._tracked = tracked

    def visit_Name(self, node):
        # Generated flags (ag__*) are always bound; the return value may stay undefined.
        if (
            isinstance(node.ctx, ast.Load)
            and node.id in self._tracked
            and not node.id.startswith("ag__")
        ):
            return ast.copy_location(_call(_ag("ld"), node, _const(node.id)), node)
        return node

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        if _contains(node.values, ast.NamedExpr):
            return node
        fn = "and_" if isinstance(node.op, ast.And) else "or_"
        return ast.copy_location(_call(_ag(fn), *[_lambda(v) for v in node.values]), node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return ast.copy_location(_call(_ag("not_"), node.operand), node)
        return node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        if _contains([node.body, node.orelse], ast.NamedExpr):
            return node
        return ast.copy_location(
            _call(_ag("if_exp"), node.test, _lambda(node.body), _lambda(node.orelse)), node
        )

    def visit_Call(self, node):
        self.generic_visit(node)
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in _DIRECT_CALLS
            or (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "ag__"
            )
        ):
            return node
        node.func = ast.copy_location(_call(_ag("converted_call"), node.func), node.func)
        return node

    def _leave(self, node):
        return node

    visit_Lambda = visit_ListComp = visit_SetComp = visit_DictComp = _leave
    visit_GeneratorExp = visit_Await = visit_Yield = visit_YieldFrom = _leave


def _is_loop_options(stmt) -> bool:
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    f = stmt.value.func
    return (
        f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
    ) == "set_loop_options"


class _FunctionConverter:
    """Converts the statements of one function scope (nested functions get their own)."""

    def __init__(self, fdef, counter):
        self._counter = counter
        self._fdef = fdef
        args = fdef.args
        self._params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        self._params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        self._globals, nonlocals = set(), set()
        for n in _walk(fdef.body):
            if isinstance(n, ast.Global):
                self._globals.update(n.names)
            elif isinstance(n, ast.Nonlocal):
                nonlocals.update(n.names)
        self._nonlocals = nonlocals
        self._tracked: set = set()
        self._nested_loads: set = set()

    def convert(self):
        fdef = self._fdef
        body = fdef.body
        doc = []
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            doc, body = body[:1], body[1:]
        body = _Lowering(self._counter).block(body)
        lowered = lower_returns(body)
        if lowered is not None:
            body = lowered
        converted = set()
        for n in _walk(body):
            if isinstance(n, (ast.If, ast.For, ast.While)):
                converted |= assigned(n.body + n.orelse)
                if isinstance(n, ast.For):
                    converted |= assigned(n.target)
        self._tracked = converted - self._params - self._globals - self._nonlocals
        for n in _walk(body, into_scopes=True):
            if isinstance(n, _SCOPES + _COMPREHENSIONS) and n is not fdef:
                self._nested_loads |= loads(n)
        init = [
            _assign(name, _call(_ag("Undefined"), _const(name))) for name in sorted(self._tracked)
        ]
        fdef.body = doc + init + self.block(body, set())
        return fdef

    # -- statements ---------------------------------------------------------

    def block(self, stmts, live_out: set):
        live = set(live_out) | self._nested_loads
        after = []
        for s in reversed(stmts):
            after.append(set(live))
            live |= loads(s)
        out = []
        for s, live_after in zip(stmts, reversed(after)):
            out.extend(self.stmt(s, live_after))
        return out

    def expr(self, node):
        return _Expressions(self._tracked).visit(node)

    def stmt(self, s, live_after: set):
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return [convert_function(s, self._counter)]
        if isinstance(s, ast.ClassDef):
            return [s]
        if isinstance(s, ast.If):
            return self._if(s, live_after)
        if isinstance(s, ast.While):
            return self._while(s, live_after)
        if isinstance(s, ast.For):
            return self._for(s, live_after)
        inner_live = live_after | loads(s)
        for field in ("body", "orelse", "finalbody"):
            if isinstance(getattr(s, field, None), list):
                setattr(s, field, self.block(getattr(s, field), inner_live))
        for h in getattr(s, "handlers", ()):
            h.body = self.block(h.body, inner_live)
        for field, value in ast.iter_fields(s):
            if isinstance(value, ast.expr):
                setattr(s, field, self.expr(value))
            elif isinstance(value, list) and field not in (
                "body",
                "orelse",
                "finalbody",
                "handlers",
                "targets",
            ):
                setattr(s, field, [self.expr(v) if isinstance(v, ast.expr) else v for v in value])
            elif field == "targets":
                setattr(s, field, [self.expr(v) for v in value])
        if isinstance(s, (ast.With, ast.AsyncWith)):
            for item in s.items:
                item.context_expr = self.expr(item.context_expr)
        return [s]

    def _state(self, modified: set, n: int):
        """(names, get_state def, set_state def, declarations) for ``modified``."""
        globals_ = modified & self._globals
        names = sorted(modified - globals_)
        get = _def(
            f"ag__get_state_{n}",
            [],
            [ast.Return(value=ast.Tuple(elts=[_name(x) for x in names], ctx=ast.Load()))],
        )
        set_body = (
            [
                ast.Assign(
                    targets=[
                        ast.Tuple(elts=[_name(x, store=True) for x in names], ctx=ast.Store())
                    ],
                    value=_name("ag__vars"),
                )
            ]
            if names
            else []
        )
        set_ = _def(f"ag__set_state_{n}", ["ag__vars"], set_body, declare=names)
        return names, get, set_, globals_

    def _if(self, s, live_after):
        n = next(self._counter)
        modified = assigned(s.body + s.orelse)
        names, get, set_, globals_ = self._state(modified, n)
        body = _def(f"ag__if_body_{n}", [], self.block(s.body, live_after), names, globals_)
        orelse = _def(f"ag__else_body_{n}", [], self.block(s.orelse, live_after), names, globals_)
        call = _call(
            _ag("if_stmt"),
            self.expr(s.test),
            _name(body.name),
            _name(orelse.name),
            _name(get.name),
            _name(set_.name),
            _names_tuple(names),
            _flags(names, live_after),
        )
        return _located([body, orelse, get, set_, ast.Expr(value=call)], s)

    def _loop_options(self, s):
        options = [b for b in s.body if _is_loop_options(b)]
        s.body = [b for b in s.body if not _is_loop_options(b)] or [ast.Pass()]
        keywords = [k for b in options for k in b.value.keywords]
        return ast.Call(
            func=_ag("loop_options"),
            args=[],
            keywords=[ast.keyword(arg=k.arg, value=self.expr(k.value)) for k in keywords],
        )

    def _while(self, s, live_after):
        n = next(self._counter)
        opts = self._loop_options(s)
        carried = live_into_body(s) | live_after
        modified = assigned(s.body) | assigned(s.test)
        names, get, set_, globals_ = self._state(modified, n)
        test = _def(f"ag__loop_test_{n}", [], [ast.Return(value=self.expr(s.test))])
        body = _def(f"ag__loop_body_{n}", [], self.block(s.body, carried), names, globals_)
        call = _call(
            _ag("while_stmt"),
            _name(test.name),
            _name(body.name),
            _name(get.name),
            _name(set_.name),
            _names_tuple(names),
            _flags(names, carried),
            opts,
        )
        return _located([test, body, get, set_, ast.Expr(value=call)], s)

    def _for(self, s, live_after):
        n = next(self._counter)
        opts = self._loop_options(s)
        extra = getattr(s, "ag_extra_tests", [])
        carried = live_into_body(s, extra) | live_after
        modified = assigned(s.body) | assigned(s.target)
        names, get, set_, globals_ = self._state(modified, n)
        target = ast.Assign(targets=[s.target], value=_name("ag__itr"))
        body = _def(
            f"ag__loop_body_{n}",
            ["ag__itr"],
            [target] + self.block(s.body, carried),
            names,
            globals_,
        )
        stmts = [body, get, set_]
        extra_test = _const(None)
        if extra:
            test_expr = extra[0] if len(extra) == 1 else ast.BoolOp(op=ast.And(), values=extra)
            test = _def(f"ag__extra_test_{n}", [], [ast.Return(value=self.expr(test_expr))])
            stmts.insert(0, test)
            extra_test = _name(test.name)
        call = _call(
            _ag("for_stmt"),
            self.expr(s.iter),
            extra_test,
            _name(body.name),
            _name(get.name),
            _name(set_.name),
            _names_tuple(names),
            _flags(names, carried),
            opts,
        )
        return _located(stmts + [ast.Expr(value=call)], s)


def _names_tuple(names):
    return ast.Tuple(elts=[_const(x) for x in names], ctx=ast.Load())


def _flags(names, live: set):
    return ast.Tuple(elts=[_const(x in live) for x in names], ctx=ast.Load())


def _located(stmts, origin):
    for st in stmts:
        ast.copy_location(st, origin)
        for n in ast.walk(st):
            if not hasattr(n, "lineno") or n.lineno is None:
                ast.copy_location(n, origin)
    return stmts


def has_generator_or_async(fdef) -> bool:
    return _contains(fdef.body, (ast.Yield, ast.YieldFrom, ast.Await))


def convert_function(fdef, counter=None):
    """``fdef`` (an ``ast.FunctionDef``) with its control flow converted, in place."""
    if isinstance(fdef, ast.AsyncFunctionDef) or has_generator_or_async(fdef):
        return fdef
    counter = counter if counter is not None else itertools.count()
    return _FunctionConverter(fdef, counter).convert()
