NC.data("search/terms/61-70",{"apparently":[106,173,227,259,276],"appease":[96,215,279],"april":[30,117,123,155,277,278,280]});
