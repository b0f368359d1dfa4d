import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../checks/registry.js';
import {
  controlsToChecks,
  FRAMEWORKS,
  findControl,
  unknownControls,
} from '../../../core/frameworks/index.js';
import { FRAMEWORK_IDS } from '../../../core/types.js';

describe('framework catalogues', () => {
  it('has one catalogue per framework id, under its own id', () => {
    // Assess
    expect(Object.keys(FRAMEWORKS).sort()).toEqual([...FRAMEWORK_IDS].sort());
    for (const id of FRAMEWORK_IDS) expect(FRAMEWORKS[id].id).toBe(id);
  });

  it.each(FRAMEWORK_IDS)(
    '%s: control ids are unique and every control has an id and a title',
    (frameworkId) => {
      // Prepare
      const ids = FRAMEWORKS[frameworkId].controls.map((control) => control.id);

      // Assess
      expect(new Set(ids).size).toBe(ids.length);
      for (const control of FRAMEWORKS[frameworkId].controls) {
        expect(control.id.trim()).not.toBe('');
        expect(control.title.trim()).not.toBe('');
      }
    },
  );

  it('knows every framework control that any registered check maps to', () => {
    // Act
    const unknown = unknownControls(ALL_CHECKS);

    // Assess
    expect(unknown).toEqual([]);
  });

  it.each([
    [
      'cis-aws-3.0',
      [
        '1.4',
        '1.5',
        '1.6',
        '1.7',
        '1.10',
        '1.12',
        '1.14',
        '2.1.1',
        '2.1.4',
        '2.2.1',
        '5.1',
        '5.2',
        '5.3',
        '5.4',
      ],
    ],
    [
      'cis-aws-5.0',
      [
        '1.3',
        '1.4',
        '1.5',
        '1.6',
        '1.9',
        '1.11',
        '1.13',
        '2.1.1',
        '2.1.4',
        '5.1.1',
        '5.2',
        '5.3',
        '5.4',
        '5.5',
      ],
    ],
    [
      'fsbp',
      [
        'EC2.1',
        'EC2.2',
        'EC2.3',
        'EC2.7',
        'EC2.13',
        'EC2.14',
        'EC2.18',
        'EC2.19',
        'EC2.21',
        'EC2.53',
        'EC2.54',
        'IAM.3',
        'IAM.4',
        'IAM.5',
        'IAM.6',
        'IAM.9',
        'IAM.22',
        'S3.1',
        'S3.2',
        'S3.3',
        'S3.5',
        'S3.8',
      ],
    ],
  ] as const)('%s includes every control the check catalogue names', (frameworkId, controlIds) => {
    // Assess
    for (const controlId of controlIds) expect(findControl(frameworkId, controlId), controlId).toBeDefined();
  });

  it.each([
    [
      'hipaa',
      [
        '164.308(a)(1)(ii)(D)',
        '164.308(a)(3)(ii)(C)',
        '164.308(a)(4)(ii)(B)',
        '164.308(a)(5)(ii)(C)',
        '164.308(a)(5)(ii)(D)',
        '164.312(a)(1)',
        '164.312(a)(2)(iv)',
        '164.312(b)',
        '164.312(c)(1)',
        '164.312(d)',
        '164.312(e)(1)',
        '164.312(e)(2)(ii)',
      ],
      '45 CFR § ',
    ],
    [
      'gdpr',
      ['Art.5(1)(f)', 'Art.25(1)', 'Art.32(1)(a)', 'Art.32(1)(b)', 'Art.32(1)(d)'],
      'Regulation (EU) 2016/679, Article ',
    ],
    ['ferpa', ['99.30', '99.31(a)(1)(ii)', '99.35(b)(1)'], '34 CFR § '],
  ] as const)(
    '%s has exactly the agreed control ids, each citing its clause',
    (frameworkId, controlIds, prefix) => {
      // Prepare
      const controls = FRAMEWORKS[frameworkId].controls;

      // Assess
      expect(controls.map((control) => control.id)).toEqual(controlIds);
      for (const control of controls) {
        const clause = frameworkId === 'gdpr' ? control.id.replace('Art.', '') : control.id;
        expect(control.citation).toContain(`${prefix}${clause}`);
      }
    },
  );

  it('gives controls their titles', () => {
    // Act and assess
    expect(findControl('fsbp', 'IAM.6')?.title).toBe('Hardware MFA should be enabled for the root user');
    expect(findControl('hipaa', '164.312(d)')?.title).toBe('Person or entity authentication');
    expect(findControl('cis-aws-5.0', '1.3')?.title).toBe("Ensure no 'root' user account access key exists");
    expect(findControl('cis-aws-3.0', '9.9')).toBeUndefined();
  });
});

describe('controlsToChecks', () => {
  it('derives framework → control → check ids, controls in catalogue order, checks sorted', () => {
    // Prepare
    const checks = [
      { id: 'x.b', frameworks: { fsbp: ['IAM.9', 'IAM.4'], hipaa: ['164.312(d)'] } },
      { id: 'x.a', frameworks: { fsbp: ['IAM.4'] } },
      { id: 'x.c', frameworks: {} },
    ];

    // Act
    const index = controlsToChecks(checks);

    // Assess
    expect(index.fsbp).toEqual({ 'IAM.4': ['x.a', 'x.b'], 'IAM.9': ['x.b'] });
    expect(Object.keys(index.fsbp)).toEqual(['IAM.4', 'IAM.9']);
    expect(index.hipaa).toEqual({ '164.312(d)': ['x.b'] });
    expect(index.gdpr).toEqual({});
    expect(Object.keys(index).sort()).toEqual([...FRAMEWORK_IDS].sort());
  });

  it('keeps a control id the catalogue lacks, after the known ones', () => {
    // Act
    const index = controlsToChecks([{ id: 'x.a', frameworks: { fsbp: ['IAM.999', 'IAM.3'] } }]);

    // Assess
    expect(Object.keys(index.fsbp)).toEqual(['IAM.3', 'IAM.999']);
  });

  it('indexes the registered checks', () => {
    // Act
    const index = controlsToChecks(ALL_CHECKS);

    // Assess
    expect(index.fsbp['IAM.6']).toContain('iam.root.hardware-mfa');
    expect(index['cis-aws-3.0']['1.12']).toContain('iam.user.unused-credentials');
    expect(index.hipaa['164.312(d)']).toEqual(
      expect.arrayContaining(['iam.root.mfa', 'iam.root.hardware-mfa', 'iam.user.console-mfa']),
    );
  });
});

describe('unknownControls', () => {
  it('names each reference the catalogues do not know', () => {
    // Act
    const unknown = unknownControls([
      { id: 'x.a', frameworks: { fsbp: ['IAM.4', 'IAM.999'], gdpr: ['Art.99'] } },
    ]);

    // Assess
    expect(unknown).toEqual([
      { checkId: 'x.a', frameworkId: 'fsbp', controlId: 'IAM.999' },
      { checkId: 'x.a', frameworkId: 'gdpr', controlId: 'Art.99' },
    ]);
  });
});
