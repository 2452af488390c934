import '@mantine/core/styles.css';
import './app/app.css';
import { setNonce } from 'get-nonce';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { readBrand, readStyleNonce } from './app/pageSettings';
import { restoreSession } from './auth/session';

const brand = readBrand();
document.title = brand.name;
restoreSession();

// Mantine's own <style> tags take the nonce from MantineProvider; dialogs' scroll lock (react-remove-scroll) adds
// one through get-nonce, which the page's content security policy would otherwise refuse.
const styleNonce = readStyleNonce();
if (styleNonce) setNonce(styleNonce);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App brand={brand} styleNonce={styleNonce} />
  </StrictMode>,
);
