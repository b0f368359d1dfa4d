/**
 * The General Data Protection Regulation: Article 32 (security of processing) and its
 * neighbours that custos's checks give evidence for. The mapping is custos's own reading; each
 * control cites its clause.
 */
import type { Framework } from './types.js';

export const gdpr: Framework = {
  id: 'gdpr',
  name: 'General Data Protection Regulation (EU) 2016/679',
  controls: [
    {
      id: 'Art.5(1)(f)',
      title:
        'Integrity and confidentiality: personal data processed in a manner that ensures its appropriate security',
      citation:
        'Regulation (EU) 2016/679, Article 5(1)(f): principles relating to processing of personal data',
    },
    {
      id: 'Art.25(1)',
      title: 'Data protection by design: appropriate technical and organisational measures',
      citation: 'Regulation (EU) 2016/679, Article 25(1): data protection by design and by default',
    },
    {
      id: 'Art.32(1)(a)',
      title: 'The pseudonymisation and encryption of personal data',
      citation: 'Regulation (EU) 2016/679, Article 32(1)(a): security of processing',
    },
    {
      id: 'Art.32(1)(b)',
      title:
        'The ability to ensure the ongoing confidentiality, integrity, availability and resilience of processing systems and services',
      citation: 'Regulation (EU) 2016/679, Article 32(1)(b): security of processing',
    },
    {
      id: 'Art.32(1)(d)',
      title:
        'A process for regularly testing, assessing and evaluating the effectiveness of technical and organisational measures for ensuring the security of the processing',
      citation: 'Regulation (EU) 2016/679, Article 32(1)(d): security of processing',
    },
  ],
};
