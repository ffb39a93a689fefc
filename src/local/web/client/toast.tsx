import { useEffect, useState } from 'preact/hooks';
import type { Toast } from './api.js';

type Listener = (toast: Toast) => void;
const listeners = new Set<Listener>();

/** Shows a toast as Feishu does after a tap: at the top, for a few seconds. */
export function showToast(toast: Toast): void {
  for (const listener of listeners) listener(toast);
}

const ICONS: Record<string, string> = { success: '✓', error: '✕', warning: '!', info: 'i' };

export function ToastHost() {
  const [toasts, setToasts] = useState<Array<Toast & { id: number }>>([]);
  useEffect(() => {
    let next = 0;
    const listener: Listener = (toast) => {
      const id = ++next;
      setToasts((old) => [...old, { ...toast, id }]);
      setTimeout(() => setToasts((old) => old.filter((t) => t.id !== id)), 4000);
    };
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return (
    <div class="toast-host">
      {toasts.map((t) => (
        <div class={`toast toast-${t.type ?? 'info'}`} role="status">
          <span class="toast-icon">{ICONS[t.type ?? 'info']}</span>
          {t.content}
        </div>
      ))}
    </div>
  );
}
