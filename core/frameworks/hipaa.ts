/**
 * The HIPAA Security Rule (45 CFR Part 164, Subpart C): the standards and implementation
 * specifications that custos's checks give evidence for. The mapping is custos's own reading;
 * each control cites its clause.
 */
import type { Framework } from './types.js';

export const hipaa: Framework = {
  id: 'hipaa',
  name: 'HIPAA Security Rule (45 CFR Part 164, Subpart C)',
  controls: [
    {
      id: '164.308(a)(1)(ii)(D)',
      title: 'Information system activity review',
      citation:
        '45 CFR § 164.308(a)(1)(ii)(D): administrative safeguards, security management process, implementation specification (required)',
    },
    {
      id: '164.308(a)(3)(ii)(C)',
      title: 'Termination procedures',
      citation:
        '45 CFR § 164.308(a)(3)(ii)(C): administrative safeguards, workforce security, implementation specification (addressable)',
    },
    {
      id: '164.308(a)(4)(ii)(B)',
      title: 'Access authorization',
      citation:
        '45 CFR § 164.308(a)(4)(ii)(B): administrative safeguards, information access management, implementation specification (addressable)',
    },
    {
      id: '164.308(a)(5)(ii)(C)',
      title: 'Log-in monitoring',
      citation:
        '45 CFR § 164.308(a)(5)(ii)(C): administrative safeguards, security awareness and training, implementation specification (addressable)',
    },
    {
      id: '164.308(a)(5)(ii)(D)',
      title: 'Password management',
      citation:
        '45 CFR § 164.308(a)(5)(ii)(D): administrative safeguards, security awareness and training, implementation specification (addressable)',
    },
    {
      id: '164.312(a)(1)',
      title: 'Access control',
      citation: '45 CFR § 164.312(a)(1): technical safeguards, access control standard',
    },
    {
      id: '164.312(a)(2)(iv)',
      title: 'Encryption and decryption',
      citation:
        '45 CFR § 164.312(a)(2)(iv): technical safeguards, access control, implementation specification (addressable)',
    },
    {
      id: '164.312(b)',
      title: 'Audit controls',
      citation: '45 CFR § 164.312(b): technical safeguards, audit controls standard',
    },
    {
      id: '164.312(c)(1)',
      title: 'Integrity',
      citation: '45 CFR § 164.312(c)(1): technical safeguards, integrity standard',
    },
    {
      id: '164.312(d)',
      title: 'Person or entity authentication',
      citation: '45 CFR § 164.312(d): technical safeguards, person or entity authentication standard',
    },
    {
      id: '164.312(e)(1)',
      title: 'Transmission security',
      citation: '45 CFR § 164.312(e)(1): technical safeguards, transmission security standard',
    },
    {
      id: '164.312(e)(2)(ii)',
      title: 'Encryption',
      citation:
        '45 CFR § 164.312(e)(2)(ii): technical safeguards, transmission security, implementation specification (addressable)',
    },
  ],
};
