"""The README's Python example runs as shown (from samples/, where mse.c is)."""
import os
import re
import subprocess
import sys

from conftest import REPO, SAMPLES


def test_readme_python_example():
    with open(os.path.join(REPO, "README.md")) as f:
        text = f.read()
    section = text[text.index("\n## Python\n"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert 'vgrad.load("mse.c")' in code and "value_and_grad(lib.mse, argnums=(0, 1))" in code
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    p = subprocess.run([sys.executable, "-c", code], cwd=SAMPLES, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    value, d_w0, d_w1, d_b = (float(t) for t in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", p.stdout))
    # w = 0, b = 0.5: the loss and gradients in closed form
    import numpy as np
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((4, 2)), rng.standard_normal(4)
    r = 0.5 - y
    assert np.isclose(value, np.mean(r * r), rtol=1e-12)
    assert np.allclose([d_w0, d_w1], 2 * x.T @ r / 4, rtol=1e-6)
    assert np.isclose(d_b, 2 * np.mean(r), rtol=1e-6)
    assert not [f for f in os.listdir(SAMPLES) if f.endswith((".vg.c", ".vg.h", ".so"))]
