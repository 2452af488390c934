// A dialog's form, fresh each time the dialog opens: the values start again, the API's answer to the last opening
// is forgotten, and a new idempotency key is made, so a double submit in one opening sends one request (the API
// returns the same note or refund for the same key) while the next opening is a new request.
import { useState } from 'react';

export interface DialogForm<T> {
  values: T;
  idempotencyKey: string;
  /** Sent at least once in this opening: only then is the mutation's answer this opening's. */
  sent: boolean;
}

export function useDialogForm<T>(opened: boolean, initial: () => T, onDone: () => void) {
  const fresh = (): DialogForm<T> => ({ values: initial(), idempotencyKey: crypto.randomUUID(), sent: false });
  const [form, setForm] = useState(fresh);
  const [wasOpened, setWasOpened] = useState(opened);
  // Adjusting state while rendering (React's pattern for "reset when a prop changes"): no effect, no stale frame.
  if (opened !== wasOpened) {
    setWasOpened(opened);
    if (opened) setForm(fresh());
  }
  return {
    ...form,
    set: (change: Partial<T>) => setForm((now) => ({ ...now, values: { ...now.values, ...change } })),
    /** Sends this opening's request; once the API accepts it, the dialog is done (else it shows the refusal). */
    send: (request: () => Promise<{ error?: unknown }>) => {
      setForm((now) => ({ ...now, sent: true }));
      void request().then((answer) => {
        if (!answer.error) onDone();
      });
    },
  };
}
