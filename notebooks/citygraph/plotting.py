"""Chart helpers shared by the notebooks: a font that can draw Chinese names
and addresses, one colour per vertex label, and an ego-network drawing.

Call setup() once per notebook before plotting. Not thread-safe (matplotlib's
global rcParams).
"""

import warnings

# Fonts with CJK glyphs, best first (fonts-wqy-microhei is in install-deps.sh).
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei",
             "Source Han Sans SC", "SimHei")

LABEL_COLORS = {
    "Person": "#1f77b4", "Household": "#ff7f0e", "House": "#2ca02c", "Business": "#d62728",
    "Vehicle": "#9467bd", "Case": "#8c564b", "Program": "#e377c2", "Area": "#7f7f7f",
    "Grid": "#bcbd22", "GridWorker": "#17becf", "Report": "#aec7e8", "Phone": "#ffbb78",
}


def _find_cjk_family(font_manager):
    """The first CJK family matplotlib knows; fonts installed after
    matplotlib built its font cache are registered on the way."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in CJK_FONTS if f in installed), None)
    if family is not None:
        return family
    for path in font_manager.findSystemFonts():
        name = path.rsplit("/", 1)[-1].lower()
        if any(tag in name for tag in ("wqy", "notosanscjk", "sourcehansans", "simhei")):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # unreadable font file: try the next one
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FONTS if f in installed), None)


def setup(figsize=(9, 4.5)):
    """Selects a CJK-capable sans-serif font (warns if none is installed) and
    readable defaults. Returns the font family used."""
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    family = _find_cjk_family(font_manager)
    if family is None:
        warnings.warn("no CJK font found: Chinese text in charts will show as boxes "
                      "(install fonts-wqy-microhei)")
    else:
        plt.rcParams["font.sans-serif"] = [family] + list(plt.rcParams["font.sans-serif"])
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False  # the CJK fonts lack U+2212
    plt.rcParams["figure.figsize"] = figsize
    plt.rcParams["figure.dpi"] = 100
    plt.rcParams["axes.titlesize"] = 12
    plt.rcParams["axes.grid"] = True
    plt.rcParams["grid.alpha"] = 0.3
    return family


def draw_network(g, ax, center=None, label_attr="display", max_labels=40, seed=7):
    """Draws a networkx graph whose nodes carry a ``label`` attribute, one
    colour per vertex label with a legend; `center` is drawn larger. Labels
    the `max_labels` highest-degree nodes (and the center) with `label_attr`."""
    import networkx as nx
    from matplotlib.lines import Line2D

    und = nx.Graph(g)
    pos = nx.spring_layout(und, seed=seed, k=1.2 / max(1, len(und)) ** 0.5)
    labels_present = sorted({d.get("label", "?") for _, d in und.nodes(data=True)})
    colors = [LABEL_COLORS.get(und.nodes[n].get("label"), "#333333") for n in und.nodes]
    sizes = [260 if n == center else 70 for n in und.nodes]
    nx.draw_networkx_edges(und, pos, ax=ax, alpha=0.35, width=0.8)
    nx.draw_networkx_nodes(und, pos, ax=ax, node_color=colors, node_size=sizes, linewidths=0.5,
                           edgecolors="white")
    ranked = sorted(und.degree, key=lambda x: -x[1])[:max_labels]
    keep = {n for n, _ in ranked} | ({center} if center is not None else set())
    nx.draw_networkx_labels(und, pos, ax=ax, font_size=7,
                            labels={n: str(und.nodes[n].get(label_attr) or n)[:14] for n in keep})
    handles = [Line2D([0], [0], marker="o", linestyle="", markersize=7,
                      markerfacecolor=LABEL_COLORS.get(lbl, "#333333"), markeredgecolor="white", label=lbl)
               for lbl in labels_present]
    ax.legend(handles=handles, title="vertex label", loc="upper left", fontsize=8, frameon=True)
    ax.set_axis_off()
    return pos
