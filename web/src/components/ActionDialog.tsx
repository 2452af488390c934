// A dialog that asks before changing something: what will happen, the choices, and one confirm button that is
// disabled while the request is in flight. The API's refusal (a CONFLICT's reason) is shown in the dialog.
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

export function ActionDialog({
  title,
  opened,
  onClose,
  confirmLabel,
  busy,
  error,
  onConfirm,
  children,
  danger = false,
  confirmDisabled = false,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  children: ReactNode;
  danger?: boolean;
  /** Not ready to confirm yet (e.g. what the change costs is still loading). */
  confirmDisabled?: boolean;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="sm">
        {children}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Keep as it is
          </Button>
          <Button
            color={danger ? 'red.9' : undefined}
            loading={busy}
            disabled={busy || confirmDisabled}
            onClick={onConfirm}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
