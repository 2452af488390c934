import { createContext, useContext } from 'react';
import type { Brand } from './pageSettings';

export const BrandContext = createContext<Brand>({
  name: 'Billing',
  primaryColor: '#0b7a4b',
  logoUrl: null,
  supportEmail: null,
});

export function useBrand(): Brand {
  return useContext(BrandContext);
}
