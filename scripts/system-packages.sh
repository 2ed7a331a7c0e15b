#!/bin/sh
# The Debian/Ubuntu packages Yipin's tests need beyond Python: Chromium for the browser
# tests (never a downloaded browser), Java for the HTML validator, CJK fonts for pages and
# screenshots, ZBar to read printed QR codes back, Node.js and npm for the pinned front-end
# tools. Installs what is missing with apt-get, as root or through sudo; otherwise stops at
# once with the command to run.
#
#   scripts/system-packages.sh         everything the tests need (make test)
#   scripts/system-packages.sh build   only what a build needs: the CJK font the share
#                                      posters are drawn with, and npm (make site, make serve)
set -eu

need=""
what="测试"
[ -d /usr/share/fonts/opentype/noto ] || need="$need fonts-noto-cjk"
command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
if [ "${1:-}" = build ]; then
  what="生成网站"
else
  command -v chromium >/dev/null 2>&1 || need="$need chromium"
  command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
  command -v zbarimg >/dev/null 2>&1 || need="$need zbar-tools"
fi
[ -z "$need" ] && exit 0

install="apt-get install -y -qq --no-install-recommends$need"
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "${what}还需要这些系统软件包：$need" >&2
  echo "请先运行：sudo apt-get update && sudo $install" >&2
  exit 1
fi
echo "安装${what}用的系统软件包：$need" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo $install >/dev/null
