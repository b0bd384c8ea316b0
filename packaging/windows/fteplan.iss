; Inno Setup 6 script: installs the PyInstaller folder "dist\FTE Planner" as FTE Planner.
;
; Build (Windows, after `python -m PyInstaller --noconfirm build.spec`):
;     iscc /DAppVersion=0.1.0 packaging\windows\fteplan.iss
; Output: dist\installer\FTE-Planner-<version>-setup.exe
;
; - Per-user by default (no administrator rights needed on a locked-down council desktop);
;   IT can install for all users with the setup's /ALLUSERS switch or by choosing so in the
;   dialog (PrivilegesRequiredOverridesAllowed). {autopf}, {autoprograms} and HKA follow
;   that choice: Program Files and HKLM for everyone, the user's own folders and HKCU
;   otherwise.
; - Start-menu shortcut, an optional desktop shortcut, the .fteplan file association
;   (the project's own ProgID; double-clicking a project opens it), and an uninstaller
;   (Settings > Apps) that removes the program, the shortcuts and the association. Users'
;   projects, settings and recovery files are theirs and are left alone.
; Written from the Inno Setup 6 documentation and its Script Wizard's association
; template; it cannot be compiled on the Linux machine where the app is developed (the
; Windows release workflow, .github/workflows/release.yml, compiles it).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "FTE Planner"
#define AppExeName "FTE Planner.exe"
#define AppPublisher "FTE Planner project"
#define AssocExt ".fteplan"
#define AssocKey "FTEPlanner.Project"
#define AssocName "FTE Planner project"
#define SourceDir "..\..\dist\FTE Planner"

[Setup]
; AppId identifies the app for upgrades and the uninstaller: never change it.
AppId={{6B1F3C52-8E4A-4D7B-9C1E-2F5A7D9E0B34}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist\installer
OutputBaseFilename=FTE-Planner-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\fteplan.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\{#AppExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#SourceDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle wholesale, so no module from an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "Software\Classes\{#AssocExt}\OpenWithProgids"; ValueType: string; ValueName: "{#AssocKey}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#AssocKey}"; ValueType: string; ValueName: ""; ValueData: "{#AssocName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#AssocKey}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExeName},0"
Root: HKA; Subkey: "Software\Classes\{#AssocKey}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: "{#AssocExt}"; ValueData: ""

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
