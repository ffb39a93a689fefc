import { useState } from 'preact/hooks';
import { ApiError, api, type ClockState } from './api.js';
import { formatTime, weekday, zonedToIso } from './time.js';
import { showToast } from './toast.js';

/**
 * The bot's clock (local mode only): shows its time and moves it forward to a chosen time or
 * to the next working day at 09:00; the bot then runs every scheduled job as at that time.
 */
export function ClockPanel(props: { clock: ClockState | undefined; moves: number; onMoved: (c: ClockState) => void }) {
  const { clock, moves, onMoved } = props;
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const move = async (body: { to: string } | { nextWorkday9: true }) => {
    setBusy(true);
    try {
      const moved = await api.moveClock(body);
      onMoved(moved);
      showToast({ type: 'success', content: `时间已调至 ${formatTime(moved.now, moved.timeZone)}，定时任务已运行` });
    } catch (error) {
      showToast({ type: 'error', content: error instanceof ApiError ? error.message : '调整时间失败' });
    } finally {
      setBusy(false);
    }
  };
  if (!clock) return <div class="clock-panel">…</div>;
  return (
    <div class="clock-panel" data-testid="clock" data-moves={moves}>
      <span class="clock-label">机器人时间</span>
      <span class="clock-now" data-testid="clock-now">
        {formatTime(clock.now, clock.timeZone)} {weekday(clock.now, clock.timeZone)}
      </span>
      <input
        type="datetime-local"
        class="input clock-input"
        aria-label="调整到的时间"
        value={target}
        onInput={(e) => setTarget(e.currentTarget.value)}
      />
      <button
        type="button"
        class="btn btn-default"
        disabled={busy || !target}
        onClick={() => void move({ to: zonedToIso(target, clock.timeZone) })}
      >
        调到此时
      </button>
      <button
        type="button"
        class="btn btn-primary_filled"
        disabled={busy}
        onClick={() => void move({ nextWorkday9: true })}
      >
        下一个工作日 9:00
      </button>
      {busy && <span class="spinner" aria-label="正在运行定时任务" />}
    </div>
  );
}
