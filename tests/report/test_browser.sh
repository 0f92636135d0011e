# The HTML datasheet in a real headless Chromium: the page loads, its DOM
# holds every section, the repatriation chart and the seed's figures, and a
# screenshot renders. No network: the page is one self-contained file.
. "$(dirname "$0")/../lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    not_ok "chromium is installed (scripts/deps.sh installs it)"
    exit 0
fi
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
--disable-background-networking --disable-component-update --disable-sync
--user-data-dir=$T/profile"
"$CTIS" --db d.db demo 2>/dev/null
check "html report" "$CTIS" --db d.db report --from 2005 --to 2008 --format html --output r.html
# shellcheck disable=SC2086
timeout 120 "$CHROMIUM" $flags --dump-dom "file://$T/r.html" > dom.html 2>/dev/null
check "chromium loads the page" test -s dom.html
for h in "Who is being trafficked?" \
    "Where do trafficked persons come from and how are they exploited?" \
    "What is the scale of human trafficking in and from Cambodia?" \
    "Who is working against human trafficking in Cambodia?" \
    "How many trafficking victims are rescued and repatriated each year?" \
    "What is happening to the traffickers in Cambodia?" \
    "What are the guiding principles behind counter-trafficking efforts in Cambodia?"; do
    check "section: $h" grep -qF "<h2>$h</h2>" dom.html
done
check "the repatriation chart is an svg in the DOM" grep -q "<svg" dom.html
check "the 2008 rescue figure is on the page" grep -q "854" dom.html
sqlite3 d.db "SELECT DISTINCT given_name FROM person_identity
  WHERE length(given_name) > 3" > names.txt
check "the demo has names to look for" test "$(wc -l < names.txt)" -gt 5
check "no person's name reaches the page" sh -c "! grep -qwFf names.txt dom.html"
# shellcheck disable=SC2086
timeout 120 "$CHROMIUM" $flags --window-size=1200,2000 --screenshot="$T/shot.png" "file://$T/r.html" >/dev/null 2>&1
size=$(stat -c %s shot.png 2>/dev/null || echo 0)
check "a screenshot renders (${size} bytes)" test "$size" -gt 20000
