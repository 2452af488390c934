// Where the console links a subscription's workflow: the Temporal Web UI the API was told about (TEMPORAL_UI_URL),
// written into index.html with the brand (src/http/webApp.ts). Without it there is no link, only the workflow id.

interface TemporalUi {
  url: string;
  namespace: string;
}

function readTemporalUi(doc: Document = document): TemporalUi | null {
  try {
    const parsed = JSON.parse(doc.getElementById('brand')?.textContent ?? '{}') as { temporalUi?: unknown };
    const value = parsed.temporalUi as Partial<TemporalUi> | null | undefined;
    if (value && typeof value.url === 'string' && /^https?:\/\//.test(value.url) && typeof value.namespace === 'string')
      return { url: value.url.replace(/\/+$/, ''), namespace: value.namespace };
  } catch {
    // No settings (Vite's dev server): no link.
  }
  return null;
}

export function temporalWorkflowUrl(workflowId: string): string | null {
  const ui = readTemporalUi();
  if (!ui) return null;
  return `${ui.url}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
