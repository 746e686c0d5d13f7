"use strict";
(() => {
  // packages/sdk/src/chunk.ts
  var RECEIVE = "__gcbReceive";
  function handOver(value) {
    const script = document.currentScript;
    const receive = script?.[RECEIVE];
    if (typeof receive === "function") receive(value);
  }

  // packages/sdk/src/strings-fr.ts
  var fr = {
    agentJoined: "Le conseiller a rejoint la session",
    youLeft: "Vous avez quitté la session. Le co-browsing est terminé.",
    sessionTimedOut: "La session a expiré. Le co-browsing est terminé.",
    sessionInactiveTimedOut: "La session a expiré. Le co-browsing est terminé.",
    agentLeft: "Le conseiller a quitté la session. Le co-browsing est terminé.",
    sessionError: "Une erreur inattendue s’est produite. Le co-browsing est terminé.",
    sessionsOverLimit: "Le conseiller est actuellement occupé par une autre session de co-browsing. Le co-browsing est terminé.",
    serverUnavailable: "Impossible de joindre le serveur de co-browsing. Le co-browsing est terminé.",
    sessionStarted: "Votre identifiant de session de co-browsing est {sessionId}. Veuillez le communiquer à notre conseiller pour poursuivre le co-browsing.",
    navRefresh: "Le conseiller a actualisé la page. Rechargement en cours.",
    navBack: "Le conseiller a cliqué sur « Précédent ». Rechargement de la page.",
    navForward: "Le conseiller a cliqué sur « Suivant ». Rechargement de la page.",
    navUrl: "Le conseiller a demandé l’ouverture d’une autre page. Rechargement de la page.",
    navFailed: "La navigation demandée par le conseiller a échoué.",
    toolbarContent: "ID de session : {sessionId}",
    contentMasked: "Ce contenu est masqué pour le conseiller",
    contentMaskedPartially: "Une partie du contenu est masquée pour le conseiller",
    exitBtnTitle: "Quitter la session de co-browsing",
    areYouOnPhone: "Êtes-vous au téléphone avec notre conseiller ?",
    areYouOnPhoneOrChat: "Êtes-vous en contact avec notre conseiller par téléphone ou par chat ?",
    connectBeforeCobrowse: "Vous devez être en contact avec notre conseiller pour utiliser le co-browsing. Appelez-nous ou démarrez un chat en direct avec nous, puis relancez le co-browsing.",
    sessionStartedAutoConnect: "La session de co-browsing a démarré. En attente de la connexion du conseiller…",
    browserUnsupported: "Malheureusement, votre navigateur n’est pas pris en charge actuellement. Navigateurs pris en charge : Google Chrome, Mozilla Firefox, Internet Explorer 11 et versions ultérieures, Safari 6 et versions ultérieures.",
    modalTitle: "Co-browsing",
    modalYes: "Oui",
    modalNo: "Non",
    writeModeInProgress: "Le conseiller contrôle la page.",
    downgradeMode: "Reprendre le contrôle",
    modeUpgraded: "La session de co-browsing a été étendue. Le conseiller contrôle la page.",
    modeDowngraded: "La session de co-browsing a été restreinte. Le conseiller ne contrôle plus la page.",
    modeUpgradeRequested: "Le conseiller demande à passer la session de co-browsing en mode « écriture ». En mode « écriture », le conseiller contrôle la page.",
    modalClose: "Fermer"
  };

  // packages/sdk/src/chunks/fr.ts
  handOver(fr);
})();
