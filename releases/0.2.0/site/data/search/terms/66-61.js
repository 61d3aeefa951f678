NC.data("search/terms/66-61",{"face":[47,273],"faces":[71],"factions":[95,162,208,275],"far":[158],"fawad":[15,156,273]});
