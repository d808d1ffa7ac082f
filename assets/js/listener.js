// The room's listener (teamroles/ui/listener.py): long-polls GET /rooms/CODE/changes and
// reruns its own fragment (setTriggerValue("changed", ...)) when the room is newer than
// what the fragment drew. If the route keeps failing (404, 5xx, unreachable) it falls
// back to firing every data.fallback_ms, and keeps trying the route in the background.
//
// Streamlit calls this function again each time the fragment redraws it (new data), and
// calls only the last returned cleanup when the element goes: one poller per element
// (its key) lives across those calls in window.__teamrolesListeners.
const HOLD_TIMEOUT_MS = 45000; // longer than the server's hold: a stuck proxy, say
const BACKOFF_MAX_MS = 30000;
const FAILURES_BEFORE_FALLBACK = 2;
const REPEAT_MS = 500; // a rerun that drew an older room (a cache) is asked again
const ACTIVITY_REPEATS = 3; // the host's counts: asked again at most this often
// Reruns asked for a newer version that never came: the session lost its fragments (the
// server restarted, and a new session has not run the page yet). Reload the page, which
// comes back as the same person: the address holds the room and the token.
const RELOAD_AFTER_FIRES = 6;
const RELOAD_GAP_MS = 30000;

const listeners = (window.__teamrolesListeners = window.__teamrolesListeners || new Map());

function countdownText(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds <= 0) return "Time's up";
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")} left`;
}

function makeListener(key) {
  const p = {
    key,
    code: null,
    host: false,
    drawnV: -1,
    drawnA: 0,
    heardV: -1,
    heardA: 0,
    minGap: 250,
    fallbackMs: 2000,
    mode: "push", // or "fallback"
    failures: 0,
    requests: 0,
    fired: 0,
    lastFire: 0,
    lastTarget: null,
    repeats: 0,
    unanswered: 0,
    timer: null,
    fallbackTimer: null,
    clockTimer: null,
    deadline: null,
    timeUpFired: false,
    controller: null,
    stopped: false,
    calls: 0,
    trigger: null,
  };

  const target = () => `${p.heardV}/${p.host ? p.heardA : ""}`;
  const wanted = () => p.heardV > p.drawnV || (p.host && p.heardA > p.drawnA);

  p.fire = (why) => {
    p.lastFire = Date.now();
    p.repeats = p.lastTarget === target() ? p.repeats + 1 : 0;
    p.lastTarget = target();
    p.fired += 1;
    if (p.trigger) p.trigger("changed", { why, version: p.heardV, activity: p.heardA, n: p.fired });
  };

  // Fire when the room is newer than the drawing: at most one per minGap, and the same
  // target again only after REPEAT_MS (the rerun may still be on its way).
  p.kick = () => {
    if (p.timer || p.stopped || !wanted()) return;
    const again = p.lastTarget === target();
    const versionBehind = p.heardV > p.drawnV;
    if (again && !versionBehind && p.repeats >= ACTIVITY_REPEATS) {
      p.reload(); // the host's counts never came: see RELOAD_AFTER_FIRES
      return;
    }
    const gap = again ? REPEAT_MS : p.minGap;
    const delay = Math.max(0, p.lastFire + gap - Date.now());
    p.timer = setTimeout(() => {
      p.timer = null;
      if (p.stopped || !wanted()) return;
      p.fire("push");
      if (p.heardV > p.drawnV) {
        p.unanswered += 1;
        if (p.unanswered >= RELOAD_AFTER_FIRES) p.reload();
      }
      p.kick();
    }, delay);
  };

  p.reload = () => {
    let last = 0;
    try {
      last = Number(window.sessionStorage.getItem("teamroles.listener.reloaded")) || 0;
      if (Date.now() - last < RELOAD_GAP_MS) return;
      window.sessionStorage.setItem("teamroles.listener.reloaded", String(Date.now()));
    } catch (error) {
      return; // no storage: never risk a reload loop
    }
    window.location.reload();
  };

  p.enterFallback = () => {
    if (p.mode === "fallback") return;
    p.mode = "fallback";
    p.fallbackTimer = setInterval(() => p.fire("fallback"), p.fallbackMs);
  };

  p.leaveFallback = () => {
    if (p.mode !== "fallback") return;
    p.mode = "push";
    clearInterval(p.fallbackTimer);
    p.fallbackTimer = null;
  };

  p.failed = async (retryAfterMs) => {
    p.failures += 1;
    if (p.failures >= FAILURES_BEFORE_FALLBACK) p.enterFallback();
    const backoff = Math.min(BACKOFF_MAX_MS, 500 * 2 ** Math.min(p.failures, 10));
    await new Promise((resolve) => setTimeout(resolve, Math.max(backoff, retryAfterMs || 0)));
  };

  p.loop = async () => {
    while (!p.stopped) {
      const query = `after=${p.heardV}` + (p.host ? `&seen=${p.heardA}` : "");
      const url = `/rooms/${encodeURIComponent(p.code)}/changes?${query}`;
      p.controller = new AbortController();
      const timeout = setTimeout(() => p.controller.abort(), HOLD_TIMEOUT_MS);
      let response = null;
      try {
        p.requests += 1;
        response = await fetch(url, { cache: "no-store", signal: p.controller.signal });
      } catch (error) {
        response = null;
      } finally {
        clearTimeout(timeout);
      }
      if (p.stopped) return;
      if (response && response.ok) {
        let body = null;
        try {
          body = await response.json();
        } catch (error) {
          body = null;
        }
        if (body && typeof body.version === "number") {
          p.failures = 0;
          p.leaveFallback();
          p.heardV = Math.max(p.heardV, body.version);
          p.heardA = Math.max(p.heardA, body.activity || 0);
          p.kick();
          continue;
        }
      }
      if (response && response.status === 404) p.fire("gone"); // the room went: redraw
      const retry = response && Number(response.headers.get("Retry-After"));
      await p.failed(retry > 0 ? retry * 1000 : 0);
    }
  };

  // A countdown ticks in the browser: the text each second, one rerun when time is up.
  p.clock = () => {
    clearInterval(p.clockTimer);
    p.clockTimer = null;
    if (p.deadline === null) return;
    const tick = () => {
      const left = p.deadline - Date.now();
      for (const node of document.querySelectorAll(
        ".st-key-room-countdown [data-testid=stMarkdownContainer] p",
      )) {
        node.textContent = countdownText(left);
      }
      if (left <= 0) {
        clearInterval(p.clockTimer);
        p.clockTimer = null;
        if (!p.timeUpFired) {
          p.timeUpFired = true;
          p.fire("time-up");
        }
      }
    };
    p.clockTimer = setInterval(tick, 1000 - (Date.now() % 1000) || 1000);
  };

  p.update = (data, trigger) => {
    const first = p.code === null;
    p.trigger = trigger;
    p.code = data.code;
    p.host = data.seen !== null && data.seen !== undefined;
    if (data.version > p.drawnV) p.unanswered = 0;
    if (p.host && data.seen > p.drawnA) p.repeats = 0;
    p.drawnV = data.version;
    p.drawnA = p.host ? data.seen : 0;
    p.heardV = Math.max(p.heardV, p.drawnV);
    p.heardA = Math.max(p.heardA, p.drawnA);
    p.minGap = data.min_interval_ms || 250;
    if (data.fallback_ms && data.fallback_ms !== p.fallbackMs) {
      p.fallbackMs = data.fallback_ms;
      if (p.mode === "fallback") {
        p.leaveFallback();
        p.enterFallback();
      }
    }
    const deadline =
      typeof data.countdown_ms === "number" ? Date.now() + data.countdown_ms : null;
    if (deadline === null || p.deadline === null || Math.abs(deadline - p.deadline) > 1500) {
      p.timeUpFired = data.countdown_ms !== undefined && data.countdown_ms <= 0;
      p.deadline = deadline;
      p.clock();
    }
    if (first) p.loop();
    p.kick();
  };

  p.stop = () => {
    p.stopped = true;
    clearTimeout(p.timer);
    clearInterval(p.fallbackTimer);
    clearInterval(p.clockTimer);
    if (p.controller) p.controller.abort();
  };
  return p;
}

export default function (component) {
  const { data, key, setTriggerValue } = component;
  if (!data || !data.code) return;
  let p = listeners.get(key);
  if (!p || p.stopped) {
    p = makeListener(key);
    listeners.set(key, p);
  }
  p.update(data, setTriggerValue);
  const call = ++p.calls;
  return () => {
    // Only the latest drawing's cleanup stops it (an earlier one may run late).
    if (p.calls === call) {
      p.stop();
      listeners.delete(key);
    }
  };
}
