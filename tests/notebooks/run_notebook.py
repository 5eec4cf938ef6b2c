"""Runs every code cell of a notebook in order, as Jupyter would, on outputs in WALKSHED_OUT; fails
on the first cell that raises. (Debian 12's nbconvert is not needed for that.)
   WALKSHED_OUT=DIR run_notebook.py NOTEBOOK.ipynb"""
import json
import os
import sys
import traceback

notebook = sys.argv[1]
os.chdir(os.path.dirname(os.path.abspath(notebook)))  # paths in it are relative to it
scope = {"__name__": "__main__"}
cells = [c for c in json.load(open(notebook, encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
for n, cell in enumerate(cells, 1):
    try:
        exec(compile("".join(cell["source"]), f"{notebook} cell {n}", "exec"), scope)
    except Exception:
        traceback.print_exc()
        sys.exit(f"FAILED: cell {n} of {notebook}")
print(f"{notebook}: {len(cells)} code cells ran")
