export default function (component) {
  const { data, setStateValue } = component;
  if (!data) return;
  const prefix = "teamroles.";
  let store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  if (store) {
    // Nested values come as JSON text (teamroles/ui/progress.py says why).
    for (const [name, value] of Object.entries(data.write ? JSON.parse(data.write) : {})) {
      try {
        if (value === null) store.removeItem(prefix + name);
        else store.setItem(prefix + name, value);
      } catch (e) { /* full or blocked: the session still works */ }
    }
  }
  if (data.read && window.__teamrolesProgressRead !== data.read) {
    window.__teamrolesProgressRead = data.read;
    const items = {};
    for (const name of data.names ? JSON.parse(data.names) : []) {
      let value = null;
      try { value = store ? store.getItem(prefix + name) : null; } catch (e) { value = null; }
      if (value !== null) items[name] = value;
    }
    setStateValue("kept", JSON.stringify({ read: data.read, items: items }));
  }
}
