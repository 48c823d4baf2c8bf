"""A software prefetch for numba kernels: ``prefetch(array, index)`` asks the CPU to start
loading ``array[index]`` into cache and carries on (LLVM's ``llvm.prefetch``; no effect on
results). The fast engine visits people and arcs in an order it knows a few steps ahead but
cannot make sequential: prefetching the next ones hides part of the memory latency that
dominates its running time on large networks."""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["prefetch"]


@intrinsic
def prefetch(typingctx, array, index):
    """Prefetch ``array[index]`` (the row ``index`` of a 2-d array; integer index; read, keep
    in all cache levels)."""
    if not isinstance(array, types.Array) or array.ndim > 2 or \
            not isinstance(index, types.Integer):
        return None
    sig = types.void(array, index)

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        at = [args[1]] + [context.get_constant(types.intp, 0)] * (signature.args[0].ndim - 1)
        ptr = cgutils.get_item_pointer(context, builder, signature.args[0], ary, at)
        i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
            "llvm.prefetch.p0")
        builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen
