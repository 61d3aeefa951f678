NC.data("search/terms/66-61",{"face":[45,277],"faces":[74],"factions":[96,167,215,279],"far":[164],"fawad":[15,161,277]});
