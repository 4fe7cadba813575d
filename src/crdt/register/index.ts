/** Registers: one value, last-writer-wins or multi-value. */
export { LWWRegister, lwwRegisterCodec, type LWWRegisterOptions } from './lww-register.js';
export { MVRegister, mvRegisterCodec } from './mv-register.js';
