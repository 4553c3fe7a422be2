"""Saving figures: a Writer saves each figure as PNG and SVG in one folder
and keeps the lists of files written and of figures skipped (with the
reason), which the scripts print."""

import os

import figure_style  # noqa: F401  (selects the Agg backend)
import matplotlib.pyplot as plt

from figure_axes import refine_log_ticks


class Writer:
    """Saves figures as NAME.png and NAME.svg in outdir; keeps the list of
    files written and of figures skipped (with the reason)."""

    def __init__(self, outdir, prefix=""):
        self.outdir = outdir
        self.prefix = prefix
        self.written = []
        self.skipped = []
        os.makedirs(outdir, exist_ok=True)

    def save(self, fig, name):
        refine_log_ticks(fig)
        # Lay the figure out once (constrained layout makes room for titles,
        # labels and legends outside the axes), then save both formats
        # with that layout.
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
        for ext in ("png", "svg"):
            path = os.path.join(self.outdir, f"{self.prefix}{name}.{ext}")
            fig.savefig(path)
            self.written.append(path)
        plt.close(fig)

    def skip(self, name, why):
        self.skipped.append((f"{self.prefix}{name}", why))

    def skipped_lines(self):
        """One line per reason: "skipped a, b, c: reason"."""
        reasons = {}
        for name, why in self.skipped:
            reasons.setdefault(why, []).append(name)
        return [f"skipped {', '.join(names)}: {why}" for why, names in reasons.items()]
