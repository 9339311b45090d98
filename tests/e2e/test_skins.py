"""Skins in the real terminal: a k9s-format skin file shows in the captured colours (256 colours,
COLORTERM=truecolor through redefined palette entries, a direct-colour terminfo entry), --skin
by name, a broken skin (a message, the default skin, timon keeps running), and NO_COLOR."""
import os
import re
import subprocess
import time

import pytest

import harness
from conftest import FIXTURES

STATES = os.path.join(FIXTURES, "pod-states.yaml")
TITLE = r"pods\(states\)\[23\]"

# A skin in k9s's own format: anchors at the top level, the usual sections, a key timon has
# no element for (xray) and one nobody knows (sparkle, warned in the log).
K9S_SKIN = """\
# k9s skin
foreground: &foreground "#e4e4e4"
background: &background "#1c1f26"
blue: &blue "#61afef"
yellow: &yellow "#e5c07b"
red: &red "#e06c75"
k9s:
  body:
    fgColor: *foreground
    bgColor: *background
    logoColor: *blue
  frame:
    border:
      fgColor: "#3e4452"
      focusColor: *blue
    title:
      fgColor: *foreground
      counterColor: *yellow
  views:
    table:
      fgColor: *foreground
      bgColor: *background
      cursorFgColor: *background
      cursorBgColor: *red
      sparkle: *red
      header:
        fgColor: *yellow
        bgColor: *background
        sorterColor: aqua
    xray:
      graphicColor: dodgerblue
"""

HEADER_RGB = (0xE5, 0xC0, 0x7B)  # views.table.header.fgColor
BORDER_RGB = (0x61, 0xAF, 0xEF)  # frame.border.focusColor: the focused table's border
BG_RGB = (0x1C, 0x1F, 0x26)      # views.table.bgColor
CURSOR_BG_RGB = (0xE0, 0x6C, 0x75)

# Nearest of xterm's 6x6x6 cube and grey ramp, worked out by hand (the unit tests cover the
# mapping itself): #e5c07b -> 180 (#d7af87), #61afef -> 75 (#5fafff), #1c1f26 -> 234
# (#1c1c1c), #e06c75 -> 168 (#d75f87).
HEADER_256, BORDER_256, BG_256, CURSOR_BG_256 = 180, 75, 234, 168

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
COLOUR_PARAMS = set(range(30, 38)) | set(range(40, 48)) | set(range(90, 98)) | \
    set(range(100, 108)) | {38, 48}


def parse_screen(screen):
    """The captured screen as lines of cells (char, fg, bg, attrs), from its SGR sequences.
    fg/bg: None (default), ("idx", n) or ("rgb", (r, g, b)). tmux writes each cell's codes
    relative to the cell before it, across line ends too, so the state carries over."""
    lines = []
    fg = bg = None
    attrs = set()
    for line in screen.split("\n"):
        out = []
        pos = 0
        for m in SGR.finditer(line):
            for ch in line[pos:m.start()]:
                out.append((ch, fg, bg, frozenset(attrs)))
            pos = m.end()
            params = [int(p) if p else 0 for p in re.split(r"[;:]", m.group(1) or "0")]
            i = 0
            while i < len(params):
                p = params[i]
                if p == 0:
                    fg = bg = None
                    attrs = set()
                elif p in (38, 48):
                    if params[i + 1] == 5:
                        val = ("idx", params[i + 2])
                        i += 2
                    else:
                        val = ("rgb", tuple(params[i + 2:i + 5]))
                        i += 4
                    if p == 38:
                        fg = val
                    else:
                        bg = val
                elif 30 <= p <= 37:
                    fg = ("idx", p - 30)
                elif 90 <= p <= 97:
                    fg = ("idx", p - 90 + 8)
                elif 40 <= p <= 47:
                    bg = ("idx", p - 40)
                elif 100 <= p <= 107:
                    bg = ("idx", p - 100 + 8)
                elif p == 39:
                    fg = None
                elif p == 49:
                    bg = None
                elif p in (1, 2, 4, 7):
                    attrs.add(p)
                elif p == 22:
                    attrs -= {1, 2}
                elif p == 24:
                    attrs.discard(4)
                elif p == 27:
                    attrs.discard(7)
                i += 1
        for ch in line[pos:]:
            out.append((ch, fg, bg, frozenset(attrs)))
        lines.append(out)
    return lines


def cell_of(screen, text):
    """The first cell of the first occurrence of text on the screen."""
    for cs in parse_screen(screen):
        plain = "".join(c[0] for c in cs)
        i = plain.find(text)
        if i >= 0:
            return cs[i]
    raise AssertionError(f"{text!r} not on screen:\n{screen}")


def selected_cell(screen):
    """The first cell of the table row that holds the cursor (the first body row)."""
    return cell_of(screen, " completed ")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def start(tui, sim, *extra, **kw):
    t = tui(["--kubeconfig", sim.kubeconfig, "-n", "states", *extra], **kw)
    t.wait_for(TITLE)
    time.sleep(0.3)  # one more pass, so the whole screen is drawn
    return t


@pytest.fixture
def sim(kubesim):
    return kubesim("--no-controllers", "--objects", STATES)


def test_k9s_skin_in_256_colours(sim, tui, tmp_path):
    skin = write(str(tmp_path / "k9s-skin.yaml"), K9S_SKIN)
    t = start(tui, sim, "--skin", skin)
    screen = t.screen(escapes=True)
    header = cell_of(screen, "READY")
    assert header[1] == ("idx", HEADER_256), header
    assert header[2] == ("idx", BG_256), header
    assert 1 in header[3]  # the header is bold
    border = cell_of(screen, "┌")
    assert border[1] == ("idx", BORDER_256), border
    sel = selected_cell(screen)
    assert sel[2] == ("idx", CURSOR_BG_256), sel
    # The body background is painted, not left to the terminal.
    assert cell_of(screen, "Context:")[2] == ("idx", BG_256)
    # The unknown key is warned about in the log; the key k9s has (xray) is not.
    log = open(os.path.join(t.home, ".local/state/timon/timon.log")).read()
    assert "unknown key k9s.views.table.sparkle, ignored" in log
    assert "xray" not in log


def test_k9s_skin_with_colorterm_truecolor(sim, tui, tmp_path, monkeypatch):
    """TERM=xterm-256color and COLORTERM=truecolor: each of the skin's colours is drawn with
    its nearest 256-colour entry, redefined (initc) to the exact RGB value; the ANSI 16 are left
    alone, and the palette is reset at exit."""
    skin = write(str(tmp_path / "k9s-skin.yaml"), K9S_SKIN)
    raw = str(tmp_path / "raw-output")
    # Start timon a moment late so the pane's output can be piped from the first byte.
    wrapper = write(str(tmp_path / "late-timon"),
                    f"#!/bin/sh\nsleep 1\nexec {harness.shquote(harness.TIMON)} \"$@\"\n")
    os.chmod(wrapper, 0o755)
    monkeypatch.setattr(harness, "TIMON", wrapper)
    t = tui(["--kubeconfig", sim.kubeconfig, "-n", "states", "--skin", skin],
            env={"COLORTERM": "truecolor"})
    t.tmux("pipe-pane", "-o", f"cat >> {harness.shquote(raw)}")
    t.wait_for(TITLE)
    time.sleep(0.3)
    screen = t.screen(escapes=True)
    with open(raw, "rb") as f:
        out = f.read().decode("utf-8", "replace")
    defined = {}
    for m in re.finditer(r"\x1b\]4;(\d+);rgb:([0-9A-Fa-f]{2})/([0-9A-Fa-f]{2})/([0-9A-Fa-f]{2})",
                         out):
        defined[int(m.group(1))] = tuple(int(m.group(k), 16) for k in (2, 3, 4))
    assert defined, "no palette entry was defined:\n" + repr(out[:400])
    assert all(n >= 16 for n in defined), defined  # the ANSI 16 keep the terminal's theme
    for text, rgb, idx, which in [("READY", HEADER_RGB, HEADER_256, 1),
                                  ("┌", BORDER_RGB, BORDER_256, 1),
                                  ("READY", BG_RGB, BG_256, 2)]:
        c = cell_of(screen, text)
        assert c[which] == ("idx", idx), (text, c)
        assert defined.get(idx) == rgb, (text, c, defined)
    sel = selected_cell(screen)
    assert sel[2] == ("idx", CURSOR_BG_256) and defined.get(CURSOR_BG_256) == CURSOR_BG_RGB
    t.send("q")
    assert t.exit_status() == 0
    time.sleep(0.2)
    with open(raw, "rb") as f:
        out = f.read()
    assert b"\x1b]104" in out  # orig_colors: the palette is the terminal's again


def test_k9s_skin_in_direct_colour(sim, tui, tmp_path):
    """A direct-colour terminfo entry (RGB, colors#0x1000000, as xterm-direct has): the cells
    carry the skin's exact RGB values."""
    terminfo = str(tmp_path / "terminfo")
    src = write(str(tmp_path / "direct.ti"),
                "xterm-timon-direct|xterm with direct colour for the skin tests,\n"
                "\tcolors#0x1000000, pairs#0x10000, RGB,\n"
                "\tsetaf=\\E[%?%p1%{8}%<%t3%p1%d%e38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;"
                "%p1%{255}%&%d%;m,\n"
                "\tsetab=\\E[%?%p1%{8}%<%t4%p1%d%e48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;"
                "%p1%{255}%&%d%;m,\n"
                "\tuse=xterm-256color,\n")
    r = subprocess.run(["tic", "-x", "-o", terminfo, src], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip("tic cannot compile a direct-colour entry here: " + r.stderr)
    skin = write(str(tmp_path / "k9s-skin.yaml"), K9S_SKIN)
    t = start(tui, sim, "--skin", skin,
              env={"TERM": "xterm-timon-direct", "TERMINFO": terminfo})
    screen = t.screen(escapes=True)
    header = cell_of(screen, "READY")
    assert header[1] == ("rgb", HEADER_RGB), header
    assert header[2] == ("rgb", BG_RGB), header
    assert cell_of(screen, "┌")[1] == ("rgb", BORDER_RGB)
    assert selected_cell(screen)[2] == ("rgb", CURSOR_BG_RGB)


def test_skin_by_name_from_xdg_config(sim, tui, tmp_path):
    config = str(tmp_path / "config")
    write(os.path.join(config, "timon", "skins", "mine.yaml"),
          "k9s:\n  views:\n    table:\n      header:\n        fgColor: '#ff0000'\n")
    t = start(tui, sim, "--skin", "mine", env={"XDG_CONFIG_HOME": config})
    screen = t.screen(escapes=True)
    assert cell_of(screen, "READY")[1] == ("idx", 196)
    # The rest is the default skin: the terminal's palette, cyan border, terminal background.
    assert cell_of(screen, "┌")[1] == ("idx", 6)
    assert cell_of(screen, "READY")[2] is None


def test_shipped_skin_by_name(sim, tui):
    """--skin high-contrast comes from skins/ beside the build tree (share/timon/skins when
    installed): black on yellow selection, white on black body."""
    t = start(tui, sim, "--skin", "high-contrast")
    screen = t.screen(escapes=True)
    sel = selected_cell(screen)
    assert sel[1] == ("idx", 16) and sel[2] == ("idx", 226), sel
    header = cell_of(screen, "READY")
    assert header[1] == ("idx", 231) and header[2] == ("idx", 16), header


def test_broken_skin_shows_message_and_default_skin(sim, tui, tmp_path):
    skin = write(str(tmp_path / "broken.yaml"),
                 "k9s:\n  views:\n    table:\n      fgColor: bleu\n")
    t = tui(["--kubeconfig", sim.kubeconfig, "-n", "states", "--skin", skin], cols=250)
    screen = t.wait_for(r"broken\.yaml: line 4: views\.table\.fgColor: \"bleu\" is not a colour")
    assert "using the default skin" in screen
    assert skin in screen
    t.wait_for(TITLE)
    esc = t.screen(escapes=True)
    # The default skin: cyan rows and border, black on cyan selection.
    assert cell_of(esc, "┌")[1] == ("idx", 6)
    sel = selected_cell(esc)
    assert sel[1] == ("idx", 0) and sel[2] == ("idx", 6), sel
    assert cell_of(esc, " crashloop ")[1] == ("idx", 1)
    log = open(os.path.join(t.home, ".local/state/timon/timon.log")).read()
    assert "is not a colour" in log
    # Still running and usable.
    t.send("j")
    t.send("q")
    assert t.exit_status() == 0


def test_bad_yaml_and_unknown_name_are_not_fatal(sim, tui, tmp_path):
    skin = write(str(tmp_path / "bad.yaml"), "k9s:\n  body: [\n    fgColor: red\n")
    t = tui(["--kubeconfig", sim.kubeconfig, "-n", "states", "--skin", skin], cols=250)
    t.wait_for(r"bad\.yaml: line \d+, column \d+: .*using the default skin")
    t.wait_for(TITLE)
    t2 = tui(["--kubeconfig", sim.kubeconfig, "-n", "states", "--skin", "nosuch"], cols=250)
    t2.wait_for(r'skin "nosuch" not found \(looked in .*timon/skins')
    t2.wait_for(TITLE)
    t2.send("q")
    assert t2.exit_status() == 0


def assert_no_colour(screen):
    for m in SGR.finditer(screen):
        params = {int(p) for p in re.split(r"[;:]", m.group(1)) if p}
        assert not params & COLOUR_PARAMS, f"colour sequence {m.group(0)!r} on screen"


@pytest.mark.parametrize("how", ["NO_COLOR", "--no-color", "NO_COLOR empty"])
def test_no_color_means_attributes_only(sim, tui, tmp_path, how):
    """NO_COLOR (any value, even empty) or --no-color: not one colour sequence, even with a
    skin; the selection is reverse video, the header bold and underlined, errors bold."""
    skin = write(str(tmp_path / "k9s-skin.yaml"), K9S_SKIN)
    env = {"NO_COLOR": "1"} if how == "NO_COLOR" else {"NO_COLOR": ""} if how == "NO_COLOR empty" \
        else {}
    extra = ["--no-color"] if how == "--no-color" else []
    t = start(tui, sim, "--skin", skin, *extra, env=env)
    screen = t.screen(escapes=True)
    assert_no_colour(screen)
    sel = selected_cell(screen)
    assert 7 in sel[3], sel
    assert {1, 4} <= cell_of(screen, "READY")[3]
    assert 1 in cell_of(screen, " crashloop ")[3]
    t.send("j")
    t.wait_for(TITLE)
    time.sleep(0.3)
    screen = t.screen(escapes=True)
    assert_no_colour(screen)
    assert 7 not in selected_cell(screen)[3]
    assert 7 in cell_of(screen, " completed-ready ")[3]


def test_light_skin_paints_every_cell(sim, tui):
    """A skin with a background (light on a dark terminal) leaves no cell to the terminal's
    own background: header, table, borders, blanks and the footer all take it."""
    t = start(tui, sim, "--skin", "light", rows=30)
    lines = parse_screen(t.screen(escapes=True))
    holes = [(y, x) for y, line in enumerate(lines) for x, c in enumerate(line) if c[2] is None]
    assert not holes, f"cells without the skin's background at {holes[:10]}"
    assert cell_of(t.screen(escapes=True), "Context:")[2] == ("idx", 231)  # #fbfbf8
