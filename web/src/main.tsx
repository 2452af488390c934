import '@mantine/core/styles.css';
import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { readBrand, readStyleNonce } from './app/pageSettings';
import { restoreSession } from './auth/session';

const brand = readBrand();
document.title = brand.name;
restoreSession();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App brand={brand} styleNonce={readStyleNonce()} />
  </StrictMode>,
);
