import { describe, expect, it } from '@jest/globals';
import { AmbiguousCredentialsError, connectionCredentials } from '../../../src/http/connectionCredentials.js';

describe('connectionCredentials', () => {
  it('reads the header names (any case) and the original parameter names', () => {
    expect(connectionCredentials({ 'X-Api-Key': 'k' })).toEqual({ apiKey: 'k', authorization: null });
    expect(connectionCredentials({ x_api_key: 'k', AUTHORIZATION: 'Bearer t' })).toEqual({
      apiKey: 'k',
      authorization: 'Bearer t',
    });
    expect(connectionCredentials({ apiKey: 'k', authorization: 'Bearer t' })).toEqual({
      apiKey: 'k',
      authorization: 'Bearer t',
    });
  });

  it('ignores other parameters, empty values and values that are not strings', () => {
    expect(connectionCredentials({ token: 'x', apiKey: '', authorization: 42 })).toEqual({
      apiKey: null,
      authorization: null,
    });
    expect(connectionCredentials(undefined)).toEqual({ apiKey: null, authorization: null });
  });

  it('accepts the same value under two names and refuses two different ones', () => {
    expect(connectionCredentials({ apiKey: 'k', 'X-API-KEY': 'k' }).apiKey).toBe('k');
    expect(() => connectionCredentials({ apiKey: 'k', 'X-Api-Key': 'other' })).toThrow(AmbiguousCredentialsError);
  });
});
