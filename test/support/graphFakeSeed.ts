/** The Graph fake's standard population: users and groups for every rule the tests check. */
import type { FakeGroup, FakeUser } from './graphFake.js';

// ---------------------------------------------------------------------------------------------
// The standard population

/** Object ids of the seeded users and groups, for assertions. */
export const IDS = {
  contractor: '1b6a7c1e-0001-4c3e-9a55-000000000001',
  guest: '1b6a7c1e-0002-4c3e-9a55-000000000002',
  obrien: '1b6a7c1e-0003-4c3e-9a55-000000000003',
  disabled: '1b6a7c1e-0004-4c3e-9a55-000000000004',
  deskOnly: '1b6a7c1e-0005-4c3e-9a55-000000000005',
  chrisLee1: '1b6a7c1e-0006-4c3e-9a55-000000000006',
  chrisLee2: '1b6a7c1e-0007-4c3e-9a55-000000000007',
  manager: '1b6a7c1e-0008-4c3e-9a55-000000000008',
  contractors: '9c0f5e2a-0001-4b7d-8e1f-000000000001',
  acmeContractors: '9c0f5e2a-0002-4b7d-8e1f-000000000002',
  approvers: '9c0f5e2a-0003-4b7d-8e1f-000000000003',
  temps: '9c0f5e2a-0004-4b7d-8e1f-000000000004',
} as const;

/** The guest's UPN as Entra writes it for a B2B invitation. */
export const GUEST_UPN = 'jdoe_contractorco.example#EXT#@tenant.onmicrosoft.com';

/** Number of generated users in the `temps` group, enough for several pages. */
export const TEMP_COUNT = 25;

function tempId(n: number): string {
  return `2d4e6f80-0000-4a1b-8c2d-${String(n).padStart(12, '0')}`;
}

/** A fresh copy of the standard population (tests may mutate it). */
export function graphSeed(): { users: FakeUser[]; groups: FakeGroup[] } {
  const users: FakeUser[] = [
    {
      id: IDS.contractor,
      displayName: 'Dana Contractor',
      userPrincipalName: 'dana.contractor@contoso.example',
      mail: 'dana@danaconsulting.example',
      otherMails: ['dana.personal@mail.example'],
      mobilePhone: '+44 7400 123456',
      businessPhones: [],
      accountEnabled: true,
      employeeType: 'Contractor',
      userType: 'Member',
      companyName: 'Dana Consulting',
      onPremisesSamAccountName: 'dcontractor',
      onPremisesSyncEnabled: true,
      usageLocation: 'GB',
      managerId: IDS.manager,
    },
    {
      id: IDS.guest,
      displayName: 'John Doe (ContractorCo)',
      userPrincipalName: GUEST_UPN,
      mail: 'jdoe@contractorco.example',
      otherMails: ['jdoe@contractorco.example'],
      mobilePhone: '+1 201-555-0123',
      accountEnabled: true,
      userType: 'Guest',
      creationType: 'Invitation',
      externalUserState: 'Accepted',
    },
    {
      id: IDS.obrien,
      displayName: "Aoife O'Brien",
      userPrincipalName: "aoife.o'brien@contoso.example",
      mail: "aoife.o'brien@contoso.example",
      mobilePhone: '+353 85 012 3456',
      accountEnabled: true,
      employeeType: 'Contractor',
      userType: 'Member',
      managerId: IDS.manager,
    },
    {
      id: IDS.disabled,
      displayName: 'Pat Former',
      userPrincipalName: 'pat.former@contoso.example',
      mail: 'pat.former@contoso.example',
      mobilePhone: '+44 7400 123457',
      accountEnabled: false,
      employeeType: 'Contractor',
      userType: 'Member',
    },
    {
      id: IDS.deskOnly,
      displayName: 'Sam Desk',
      userPrincipalName: 'sam.desk@contoso.example',
      otherMails: ['sam+contract@contractorco.example'],
      businessPhones: ['+44 121 234 5678'],
      accountEnabled: true,
      employeeType: 'Contractor',
      userType: 'Member',
    },
    {
      id: IDS.chrisLee1,
      displayName: 'Chris Lee',
      userPrincipalName: 'chris.lee@contoso.example',
      mail: 'chris.lee@contoso.example',
      accountEnabled: true,
      userType: 'Member',
      department: 'Finance',
    },
    {
      id: IDS.chrisLee2,
      displayName: 'Chris Lee',
      userPrincipalName: 'chris.lee2@contoso.example',
      mail: 'chris.lee2@contoso.example',
      accountEnabled: true,
      employeeType: 'Contractor',
      userType: 'Member',
      department: 'Engineering',
    },
    {
      id: IDS.manager,
      displayName: 'Morgan Manager',
      userPrincipalName: 'morgan.manager@contoso.example',
      mail: 'morgan.manager@contoso.example',
      businessPhones: ['+44 20 7946 0000'],
      accountEnabled: true,
      employeeType: 'Employee',
      userType: 'Member',
    },
  ];
  for (let n = 1; n <= TEMP_COUNT; n++) {
    const nn = String(n).padStart(3, '0');
    users.push({
      id: tempId(n),
      displayName: `Temp ${nn}`,
      userPrincipalName: `temp${nn}@contoso.example`,
      accountEnabled: true,
      employeeType: 'Contractor',
      userType: 'Member',
    });
  }
  const groups: FakeGroup[] = [
    {
      id: IDS.contractors,
      displayName: 'Contractors',
      mailNickname: 'contractors',
      members: [IDS.acmeContractors, IDS.obrien],
    },
    {
      id: IDS.acmeContractors,
      displayName: 'Contractors - Acme',
      mailNickname: 'acme-contractors',
      members: [IDS.contractor, IDS.guest],
    },
    {
      id: IDS.approvers,
      displayName: 'Security Approvers',
      mailNickname: 'approvers',
      members: [IDS.manager],
    },
    {
      id: IDS.temps,
      displayName: 'Temps',
      mailNickname: 'temps',
      members: Array.from({ length: TEMP_COUNT }, (_, i) => tempId(i + 1)),
    },
  ];

  return { users, groups };
}
