"""Would a small transformer fit the speed target? The matrix products of a MiniLM-L6-shaped
encoder (hidden 384, feed-forward 1536, 6 layers), random weights, in onnxruntime on one thread,
float32 and with weights quantised to int8 (dynamic quantisation), per wordpiece.

    pip install onnx onnxruntime   # not newstrace dependencies: this only sizes a future model
    python benchmarks/transformer_budget.py [--layers 6]

Attention scores, layer norms and the tokeniser are left out (small for news sentences), so the
figures are a floor on the encoder's cost. At ~1.3 wordpieces a word, words/s for the encoder
alone = 1 / (1.3 x seconds per wordpiece); `analyze` must also parse (docs/attribution-model.md).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy

HIDDEN, FEED_FORWARD = 384, 1536
WORDPIECES_PER_WORD = 1.3


def encoder_graph(layers: int, path: str) -> int:
    """Write the encoder's matrix products as an ONNX graph; return multiply-adds per wordpiece."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = numpy.random.default_rng(0)
    shapes = {"qkv": (HIDDEN, 3 * HIDDEN), "out": (3 * HIDDEN, HIDDEN), "ff1": (HIDDEN, FEED_FORWARD), "ff2": (FEED_FORWARD, HIDDEN)}
    nodes, weights, current = [], [], "x"
    for layer in range(layers):
        for name, shape in shapes.items():
            weight, output = f"w{layer}{name}", f"y{layer}{name}"
            weights.append(numpy_helper.from_array((rng.standard_normal(shape) * 0.02).astype(numpy.float32), weight))
            nodes.append(helper.make_node("MatMul", [current, weight], [output]))
            if name == "ff1":
                nodes.append(helper.make_node("Relu", [output], [output + "_relu"]))
                output += "_relu"
            current = output
    graph = helper.make_graph(
        nodes,
        "encoder",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", HIDDEN])],
        [helper.make_tensor_value_info(current, TensorProto.FLOAT, ["n", HIDDEN])],
        weights,
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    return layers * sum(rows * cols for rows, cols in shapes.values())


def seconds_per_wordpiece(path: str, batch: int = 512, rounds: int = 5) -> float:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    inputs = {"x": numpy.random.default_rng(1).standard_normal((batch, HIDDEN)).astype(numpy.float32)}
    session.run(None, inputs)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        session.run(None, inputs)
        best = min(best, time.perf_counter() - start)
    return best / batch


def main() -> None:
    import tempfile

    from onnxruntime.quantization import QuantType, quantize_dynamic

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layers", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        float_path, int8_path = f"{folder}/encoder.onnx", f"{folder}/encoder-int8.onnx"
        macs = encoder_graph(args.layers, float_path)
        quantize_dynamic(float_path, int8_path, weight_type=QuantType.QInt8)
        for label, path in (("float32", float_path), ("int8", int8_path)):
            seconds = seconds_per_wordpiece(path)
            print(
                f"{args.layers} layers, {label}: {seconds * 1e6:.0f} µs a wordpiece, "
                f"{2 * macs / seconds / 1e9:.0f} GFLOP/s, {1 / (seconds * WORDPIECES_PER_WORD):,.0f} words/s for the encoder alone"
            )


if __name__ == "__main__":
    main()
