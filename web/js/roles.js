// roles.js - what each role of issue 11 may do (the x-roles of
// docs/openapi.json), so that the interface offers only that. The server
// decides (ops/ enforces every rule); this table only keeps what a role
// may not use off the screen.
const table = {
  admin: ['home', 'cases', 'names', 'search', 'history', 'case_write',
    'events', 'transfer', 'referrals', 'criminal', 'criminal_write',
    'offenders', 'directory', 'agency_write', 'activity_write',
    'instrument_write', 'report', 'users', 'audit'],
  case_worker: ['home', 'cases', 'names', 'search', 'history', 'case_write',
    'events', 'transfer', 'referrals', 'directory', 'activity_write'],
  police: ['cases', 'criminal', 'criminal_write', 'offenders', 'directory'],
  analyst: ['report', 'directory'],
  viewer: ['cases', 'names', 'history', 'directory'],
};

export function can(user, what) {
  if (!user) return false;
  return (table[user.role] || []).includes(what);
}

// The page a role lands on after logging in.
export function homeOf(user) {
  if (can(user, 'home')) return '#/home';
  if (can(user, 'criminal')) return '#/criminal-cases';
  if (can(user, 'cases')) return '#/cases';
  return '#/dashboard';
}
