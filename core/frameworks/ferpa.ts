/**
 * The FERPA regulations (34 CFR Part 99): the provisions on disclosure of and access to
 * education records that custos's checks give evidence for. The mapping is custos's own
 * reading; each control cites its clause.
 */
import type { Framework } from './types.js';

export const ferpa: Framework = {
  id: 'ferpa',
  name: 'Family Educational Rights and Privacy Act regulations (34 CFR Part 99)',
  controls: [
    {
      id: '99.30',
      title:
        'Prior written consent is required to disclose personally identifiable information from education records',
      citation:
        '34 CFR § 99.30: under what conditions is prior consent required to disclose information (Subpart D)',
    },
    {
      id: '99.31(a)(1)(ii)',
      title:
        'Reasonable methods, such as physical or technological access controls, ensure school officials obtain access only to education records in which they have legitimate educational interests',
      citation:
        '34 CFR § 99.31(a)(1)(ii): disclosure without prior consent to school officials, access control requirement',
    },
    {
      id: '99.35(b)(1)',
      title:
        'Information disclosed for audit, evaluation or enforcement is protected so that no one other than the authorized officials can personally identify individuals',
      citation:
        '34 CFR § 99.35(b)(1): disclosure for audit or evaluation of Federal- or State-supported education programs',
    },
  ],
};
