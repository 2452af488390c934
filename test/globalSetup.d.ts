export declare const DEFAULT_TEST_DATABASE_URL: string;
export default function dropTestDatabase(): Promise<void>;
